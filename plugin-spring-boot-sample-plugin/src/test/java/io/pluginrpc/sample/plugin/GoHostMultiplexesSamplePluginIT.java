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
 * A go-plugin 1.6.3 host with {@code GRPCBrokerMultiplex} ({@code interop/build/bin/1.6.3/go-host -multiplex})
 * loads the sample plugin jar: go-plugin refuses a plugin that does not answer {@code true} in the 7th handshake
 * field, then carries every gRPC connection over one yamux session on the plugin's listener, so the KV calls and
 * the Counter's callback to the host's AddHelper (the plugin knocks, the host acknowledges, the plugin opens a
 * stream) prove the plugin's side of multiplexing. After the Go host's {@code Kill()} the plugin process and its
 * socket must be gone (the Go host checks both).
 */
class GoHostMultiplexesSamplePluginIT {

	@ParameterizedTest(name = "scenario {0}, AutoMTLS {1}")
	@CsvSource({ "kv, false", "kv, true", "counter, false", "counter, true" })
	void goPlugin16HostWithMultiplexingRunsTheScenario(String scenario, boolean autoMtls) throws Exception {
		Path goHost = InteropPeers.build().resolve("interop/build/bin/1.6.3/go-host");
		assertThat(goHost).as("interop/build.sh builds the go-plugin 1.6.3 host").isExecutable();
		List<String> command = new ArrayList<>(List.of(goHost.toString(), "-multiplex"));
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
			.contains("multiplex true")
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
			// A bound against a hang only.
			if (!process.waitFor(5, TimeUnit.MINUTES)) {
				throw new AssertionError("go-host did not finish within 5 minutes: " + command);
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
