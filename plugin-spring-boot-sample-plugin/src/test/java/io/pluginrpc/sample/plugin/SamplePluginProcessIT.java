package io.pluginrpc.sample.plugin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pluginrpc.core.handshake.HandshakeLine;
import io.pluginrpc.core.transport.Transports;
import io.pluginrpc.plugin.CookieCheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The sample plugin jar as a real process: what go-plugin's contract says about cookies, signals, stdout
 * and orphans, checked from outside.
 */
class SamplePluginProcessIT {

	private final List<ProcessHandle> started = new ArrayList<>();

	/**
	 * TMPDIR of every process started here. A go-plugin host SIGKILLs a plugin whose handshake it rejects,
	 * so that plugin cannot remove its socket directory (go-plugin#119); the test removes it instead.
	 */
	@TempDir
	Path tmpdir;

	@AfterEach
	void killEverythingStarted() {
		for (ProcessHandle process : this.started) {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
		}
		for (ProcessHandle process : this.started) {
			process.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally((ex) -> null).join();
			assertThat(process.isAlive()).as("process %d left behind", process.pid()).isFalse();
		}
	}

	@Test
	void refusesToRunWithoutTheCookieLikeGoPlugin() throws Exception {
		for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("BASIC_PLUGIN", "wrong"))) {
			Process process = start(env, javaCommand());
			String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
			assertThat(process.exitValue()).isEqualTo(1);
			assertThat(stdout).isEmpty();
			assertThat(stderr).isEqualTo(CookieCheck.NOT_A_HOST);
		}
	}

	@Test
	void exitsWhenItsHostIsKilledWithSigkill() throws Exception {
		// The "host" is a shell that starts the plugin as its child; SIGKILL leaves it no chance to clean up.
		List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "\"$@\" & wait", "host"));
		command.addAll(javaCommand());
		Process host = start(Map.of("BASIC_PLUGIN", "hello", "PLUGIN_PROTOCOL_VERSIONS", "1"), command);
		HandshakeLine handshake = readHandshake(host,
				new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.US_ASCII)));
		ProcessHandle plugin = host.toHandle().children().findFirst().orElseThrow();
		this.started.add(plugin);
		Path socketDirectory = Path.of(handshake.address()).getParent();
		assertThat(socketDirectory).exists();

		host.destroyForcibly();
		waitFor(() -> !plugin.isAlive(), Duration.ofSeconds(5), "the plugin to exit after its host was killed");
		waitFor(() -> !Files.exists(socketDirectory), Duration.ofSeconds(5), "the socket directory to be removed");
	}

	@Test
	void ignoresSigintAndCleansUpOnSigterm() throws Exception {
		Process process = start(Map.of("BASIC_PLUGIN", "hello", "PLUGIN_PROTOCOL_VERSIONS", "1"), javaCommand());
		BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
		HandshakeLine handshake = readHandshake(process, stdout);
		CompletableFuture<List<String>> laterStdout = CompletableFuture.supplyAsync(() -> stdout.lines().toList());
		new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
		assertThat(health(handshake)).isEqualTo(ServingStatus.SERVING);
		assertThat(process.isAlive()).isTrue();

		process.destroy();
		assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
		assertThat(Path.of(handshake.address()).getParent()).doesNotExist();
		assertThat(laterStdout.get(10, TimeUnit.SECONDS)).as("nothing but the handshake line may reach stdout").isEmpty();
	}

	@Test
	void anotherLocalUserCannotConnect() throws Exception {
		assumeTrue(isRoot(), "switching to another user needs root (CI runs as root)");
		Process process = start(Map.of("BASIC_PLUGIN", "hello", "PLUGIN_PROTOCOL_VERSIONS", "1"), javaCommand());
		HandshakeLine handshake = readHandshake(process,
				new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII)));
		String connect = "import socket, sys\ns = socket.socket(socket.AF_UNIX)\ns.connect(sys.argv[1])\nprint('connected')";
		Result owner = run(List.of("/usr/bin/python3", "-c", connect, handshake.address()));
		assertThat(owner.output()).as("the owner can connect").contains("connected");
		Result stranger = run(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c",
				connect, handshake.address()));
		assertThat(stranger.exitStatus()).as(stranger.output()).isNotZero();
		assertThat(stranger.output()).contains("PermissionError");
	}

	private record Result(int exitStatus, String output) {
	}

	private static Result run(List<String> command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = readAll(process.getInputStream());
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		return new Result(process.exitValue(), output);
	}

	private static boolean isRoot() {
		try {
			return "0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).strip());
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Test
	void aGoHostThatOffersOtherVersionsFailsClearlyAndLeavesNothingBehind() throws Exception {
		Path root = InteropPeers.build();
		List<String> command = new ArrayList<>(List.of(root.resolve("interop/build/bin/go-host").toString(),
				"-versions", "2,3", "-scenario", "handshake", "--"));
		command.addAll(javaCommand());
		Process host = start(Map.of(), command);
		CompletableFuture<String> output = CompletableFuture
			.supplyAsync(() -> readAll(host.getInputStream()) + readAll(host.getErrorStream()));
		assertThat(host.waitFor(2, TimeUnit.MINUTES)).isTrue();
		String text = output.get(10, TimeUnit.SECONDS);
		assertThat(text).as(text)
			.contains("FAIL start: Incompatible API version with plugin. Plugin version: 1")
			.contains("PASS kill");
		assertThat(host.exitValue()).isEqualTo(1);
	}

	private Process start(Map<String, String> env, List<String> command) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().keySet().removeIf((name) -> !name.equals("PATH") && !name.equals("HOME"));
		builder.environment().putAll(env);
		builder.environment().put("TMPDIR", this.tmpdir.toString());
		Process process = builder.start();
		this.started.add(process.toHandle());
		return process;
	}

	private static HandshakeLine readHandshake(Process process, BufferedReader stdout) throws Exception {
		CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
			try {
				return stdout.readLine();
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
		CompletableFuture.runAsync(() -> readAll(process.getErrorStream()));
		return HandshakeLine.parse("sample", line.get(60, TimeUnit.SECONDS), Set.of(1));
	}

	private static ServingStatus health(HandshakeLine handshake) {
		ManagedChannel channel = Transports
			.channelBuilder(Transports.socketAddress(handshake.network(), handshake.address()), null)
			.build();
		try {
			return HealthGrpc.newBlockingStub(channel)
				.withDeadlineAfter(10, TimeUnit.SECONDS)
				.check(HealthCheckRequest.newBuilder().setService("plugin").build())
				.getStatus();
		}
		finally {
			channel.shutdownNow();
		}
	}

	private static String readAll(java.io.InputStream in) {
		try {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "";
		}
	}

	private static void waitFor(BooleanSupplier condition, Duration limit, String what) throws InterruptedException {
		Instant deadline = Instant.now().plus(limit);
		while (!condition.getAsBoolean()) {
			if (Instant.now().isAfter(deadline)) {
				throw new AssertionError("Waited " + limit.toSeconds() + " s for " + what);
			}
			Thread.sleep(50);
		}
	}

	private static List<String> javaCommand() {
		return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
				InteropPeers.samplePluginJar().toString());
	}

}
