package io.pluginrpc.sample.host;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pluginrpc.sample.plugin.InteropPeers;
import io.pluginrpc.testing.Processes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample host jar as a newcomer runs it: the README command, and a host misconfigured
 * on purpose.
 */
class SampleHostIT {

	@Test
	void putsAndGetsThroughTheSamplePluginFromTheCommandLine() throws Exception {
		Result put = run("put", "greeting", "hello world");
		assertThat(put.exitStatus).as(put.output).isZero();
		assertThat(put.stdout).isEqualTo("put greeting = hello world\n");
		assertThat(put.output).contains("Plugin 'kv' started", "Plugin 'kv' stopped");
	}

	@Test
	void aGetInALaterRunReturnsWhatAPutStoredWithSpringOptionsAfterTheCommand(@TempDir Path values) throws Exception {
		String directory = "--KV_DIRECTORY=" + values;
		Result put = run("put", "colour", "blue", directory,
				"--plugins.kv.command=java,-jar," + InteropPeers.samplePluginJar());
		assertThat(put.exitStatus).as(put.output).isZero();
		assertThat(put.stdout).isEqualTo("put colour = blue\n");
		Result get = run("get", "colour", directory);
		assertThat(get.exitStatus).as(get.output).isZero();
		assertThat(get.stdout).isEqualTo("blue\n");
	}

	@Test
	void aUsageErrorExitsWithStatus2AndStopsThePlugin() throws Exception {
		Result result = run("get");
		assertThat(result.exitStatus).as(result.output).isEqualTo(2);
		assertThat(result.output).contains("usage: put <key> <value> | get <key>", "Plugin 'kv' stopped");
	}

	@Test
	void failsClearlyWhenThePluginRejectsTheCookie() throws Exception {
		Result result = run("--plugins.kv.handshake.cookie-value=wrong", "get", "x");
		assertThat(result.exitStatus).isNotZero();
		assertThat(result.output).as(result.output)
			.contains("Plugin 'kv': the plugin exited with status 1 before printing a handshake line")
			.contains("This binary is a plugin. These are not meant to be executed directly.")
			.contains("Action:");
	}

	private static Result run(String... args) throws Exception {
		Path jar = Path.of("target/plugin-spring-boot-sample-host-0.1.0-SNAPSHOT.jar").toAbsolutePath();
		List<String> command = new java.util.ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
		command.addAll(List.of(args));
		// A generous start and stop for machines busy with other builds (these tests
		// check that the plugin is
		// asked to stop and does, not how fast: go-plugin's 2 s default is measured
		// against a Go host, README
		// "Plugin side"); also Spring options after the command.
		command.add("--plugins.kv.start-timeout=5m");
		command.add("--plugins.kv.stop-timeout=1m");
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().put("KV_PLUGIN_JAR", InteropPeers.samplePluginJar().toString());
		// Output to files, not pipes read to their end first: waitFor's bound must hold
		// even if the host hangs.
		Path stdoutFile = Files.createTempFile("sample-host", ".out");
		Path stderrFile = Files.createTempFile("sample-host", ".err");
		Process process = builder.redirectOutput(stdoutFile.toFile()).redirectError(stderrFile.toFile()).start();
		try {
			// The host and its plugin are two cold JVMs: on a busy 2-core machine one run
			// can pass 2 minutes.
			if (!process.waitFor(Processes.HANG_GUARD.toMinutes(), TimeUnit.MINUTES)) {
				throw new AssertionError("the sample host did not finish within " + Processes.HANG_GUARD.toMinutes()
						+ " minutes (a hang); its output:\n" + Files.readString(stdoutFile)
						+ Files.readString(stderrFile));
			}
			String stdout = Files.readString(stdoutFile, StandardCharsets.UTF_8);
			return new Result(process.exitValue(),
					stdout.lines()
						.filter((l) -> !l.contains(" INFO ") && !l.contains(" WARN ") && !l.contains(" ERROR ")
								&& !l.contains(" DEBUG "))
						.map((l) -> l + "\n")
						.reduce("", String::concat),
					stdout + Files.readString(stderrFile, StandardCharsets.UTF_8));
		}
		finally {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
			Files.deleteIfExists(stdoutFile);
			Files.deleteIfExists(stderrFile);
		}
	}

	private record Result(int exitStatus, String stdout, String output) {
	}

}
