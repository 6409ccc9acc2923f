package io.pluginrpc.sample.plugin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pluginrpc.core.handshake.HandshakeLine;
import io.pluginrpc.core.transport.Transports;
import io.pluginrpc.faststart.FastStartBuilder;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.KVGrpc;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast-start directory built from the sample jar by plugin-spring-boot-maven-plugin's
 * builder, with the JVM running these tests (a dynamic CDS archive on JDK 17): the
 * launcher, started through a chain of symlinks, serves KV, the process a host starts is
 * the JVM itself, and nothing but the handshake line reaches stdout.
 */
class FastStartIT {

	private final List<Process> started = new ArrayList<>();

	@TempDir
	Path tmp;

	@AfterEach
	void killEverythingStarted() throws InterruptedException {
		for (Process process : this.started) {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
			assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("process %d left behind", process.pid()).isTrue();
		}
	}

	@Test
	void buildsATrainedLauncherThatExecsOneJvm() throws Exception {
		Path output = this.tmp.resolve("fast-start");
		new FastStartBuilder(output).cookie("BASIC_PLUGIN=hello").build(InteropPeers.samplePluginJar());
		new FastStartBuilder(output).cookie("BASIC_PLUGIN=hello").train();
		assertThat(output.resolve("app.jar")).isRegularFile();
		assertThat(output.resolve("lib")).isDirectory();
		assertThat(output.resolve("app.jsa")).isRegularFile();
		// A host may exec the launcher through a link (e.g. from a bin directory): a
		// relative link to a link.
		Path bin = Files.createDirectories(this.tmp.resolve("bin"));
		Files.createSymbolicLink(bin.resolve("sample-link"), Path.of("..", "fast-start", "plugin"));
		Files.createSymbolicLink(bin.resolve("sample"), Path.of("sample-link"));

		ProcessBuilder launch = new ProcessBuilder(bin.resolve("sample").toString())
			.redirectError(ProcessBuilder.Redirect.DISCARD);
		launch.environment().keySet().removeIf((name) -> name.startsWith("PLUGIN_"));
		launch.environment().put("BASIC_PLUGIN", "hello");
		launch.environment().put("PLUGIN_PROTOCOL_VERSIONS", "1");
		launch.environment().put("TMPDIR", this.tmp.toString());
		Process plugin = start(launch);
		BufferedReader stdout = new BufferedReader(
				new InputStreamReader(plugin.getInputStream(), StandardCharsets.US_ASCII));
		String line = CompletableFuture.supplyAsync(() -> readLine(stdout)).get(2, TimeUnit.MINUTES);
		HandshakeLine handshake = HandshakeLine.parse("fast-start", line, Set.of(1));

		assertThat(plugin.info().command()).as("the launcher execs java")
			.hasValueSatisfying((command) -> assertThat(command).endsWith("/java"));
		assertThat(plugin.children()).as("no process between the host and the JVM").isEmpty();
		ManagedChannel channel = Transports
			.channelBuilder(Transports.socketAddress(handshake.network(), handshake.address()), null)
			.build();
		try {
			assertThat(KVGrpc.newBlockingStub(channel)
				.withDeadlineAfter(30, TimeUnit.SECONDS)
				.get(GetRequest.newBuilder().setKey("missing").build())
				.getValue()
				.isEmpty()).isTrue();
		}
		finally {
			channel.shutdownNow();
		}
		// SIGTERM through the handle: Process.destroy() would also close our end of the
		// pipes.
		plugin.toHandle().destroy();
		assertThat(plugin.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(readAll(stdout)).as("nothing but the handshake line may reach stdout").isEmpty();
	}

	private Process start(ProcessBuilder builder) throws IOException {
		Process process = builder.start();
		this.started.add(process);
		return process;
	}

	private static String readLine(BufferedReader reader) {
		try {
			return reader.readLine();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String readAll(BufferedReader reader) {
		StringBuilder text = new StringBuilder();
		reader.lines().forEach((line) -> text.append(line).append('\n'));
		return text.toString();
	}

}
