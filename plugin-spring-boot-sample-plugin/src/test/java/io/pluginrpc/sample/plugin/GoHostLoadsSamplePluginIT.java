package io.pluginrpc.sample.plugin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Go host, built from Debian's go-plugin 1.0.1 ({@code interop/build/bin/go-host}), loads the
 * sample plugin jar and runs a scenario: every check it prints must pass, and after its {@code Kill()}
 * the plugin process and its socket must be gone (the Go host checks both).
 */
class GoHostLoadsSamplePluginIT {

	@ParameterizedTest(name = "scenario {0}, AutoMTLS {1}")
	@CsvSource({ "handshake, false", "handshake, true", "kv, false", "kv, true", "counter, false", "counter, true" })
	void goHostRunsTheScenario(String scenario, boolean autoMtls) throws Exception {
		Path root = InteropPeers.build();
		List<String> command = new ArrayList<>();
		command.add(root.resolve("interop/build/bin/go-host").toString());
		if (autoMtls) {
			command.add("-automtls");
		}
		command.addAll(List.of("-scenario", scenario, "--", javaExecutable(), "-jar",
				InteropPeers.samplePluginJar().toString()));
		if (scenario.equals("counter")) {
			command.add("counter");
		}
		String output = run(command);
		assertThat(output).as(output)
			.doesNotContain("FAIL ")
			.containsPattern("(?m)^RESULT [1-9]\\d* passed, 0 failed$")
			.endsWith("(exit status 0)");
	}

	private static String run(List<String> command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
			try {
				return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				return "(output unreadable: " + ex + ")";
			}
		});
		try {
			if (!process.waitFor(3, TimeUnit.MINUTES)) {
				throw new AssertionError("go-host did not finish within 3 minutes: " + command);
			}
			return output.get(10, TimeUnit.SECONDS) + "\n(exit status " + process.exitValue() + ")";
		}
		catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
			throw new AssertionError("Could not read go-host's output", ex);
		}
		finally {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
			process.waitFor(10, TimeUnit.SECONDS);
		}
	}

	private static String javaExecutable() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

}
