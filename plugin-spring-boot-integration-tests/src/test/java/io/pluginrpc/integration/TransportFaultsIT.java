package io.pluginrpc.integration;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.actuate.health.Health;

import io.pluginrpc.actuate.PluginHealthIndicator;
import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginClientConfig;
import io.pluginrpc.host.PluginStartException;
import io.pluginrpc.host.PluginState;
import io.pluginrpc.reliability.ReliabilityRecord;
import io.pluginrpc.sample.plugin.InteropPeers;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.KVGrpc;
import io.pluginrpc.sample.proto.PutRequest;
import io.pluginrpc.testing.Processes;
import io.pluginrpc.testing.TestHost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Faults in the plugin's transport while it runs: its socket file deleted, its listener
 * closed, its stdout closed. As with go-plugin, the connection the host holds keeps
 * working; once it is lost and cannot be made again, calls fail at once with UNAVAILABLE
 * naming the plugin and the reason, health is DOWN, stop still finishes, and nothing is
 * left behind.
 */
class TransportFaultsIT {

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);

	/** Every socket directory goes here, so the test sees what is left. */
	@TempDir
	Path sockets;

	@Test
	void aDeletedSocketFileDoesNotBreakTheConnectionTheHostHolds() throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		PluginClient client = new PluginClient(config(List.of(java, "-jar", InteropPeers.samplePluginJar().toString())),
				TestHost.SHARED);
		client.start();
		long pid = client.getPid();
		try {
			Path socket = Path.of(client.getHandshake().address());
			Files.delete(socket);
			KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(client.channel()).withDeadlineAfter(30, TimeUnit.SECONDS);
			kv.put(PutRequest.newBuilder().setKey("k").setValue(ByteString.copyFromUtf8("kept")).build());
			assertThat(kv.get(GetRequest.newBuilder().setKey("k").build()).getValue().toStringUtf8()).isEqualTo("kept");
			assertThat(new PluginHealthIndicator(client).health().getStatus())
				.isEqualTo(org.springframework.boot.actuate.health.Status.UP);
		}
		finally {
			stopAndCheck(client);
		}
		assertThat(client.getLastExitStatus()).as("graceful exit over the connection it kept").isZero();
		assertGone(pid);
		ReliabilityRecord.put(TransportFaultsIT.class, "socketDeleted.faults", 1);
	}

	@Test
	void aDeletedSocketFileAndALostConnectionFailCallsAtOnceNamingThePlugin() throws Exception {
		PluginClient client = new PluginClient(config(FaultyPlugin.command("proxied")), TestHost.SHARED);
		client.start();
		long pid = client.getPid();
		try {
			String socket = client.getHandshake().address();
			Files.delete(Path.of(socket));
			assertThat(echo(client, "still connected")).isEqualTo("still connected");
			call(client, FaultService.DROP_CONNECTIONS, "drop");
			Status failure = awaitFailure(client, "does not exist");
			assertThat(failure.getDescription()).startsWith("Plugin 'faulty' is unavailable (state RUNNING)")
				.contains("the plugin's socket " + socket + " does not exist");
			assertDown(client, socket + " does not exist");
		}
		finally {
			stopAndCheck(client);
		}
		assertGone(pid);
		ReliabilityRecord.put(TransportFaultsIT.class, "socketDeletedAndConnectionLost.faults", 1);
	}

	@Test
	void aPluginThatClosesItsListenerKeepsItsConnectionAndThenFailsCallsAtOnceNamingThePlugin() throws Exception {
		PluginClient client = new PluginClient(config(FaultyPlugin.command("proxied")), TestHost.SHARED);
		client.start();
		long pid = client.getPid();
		try {
			String socket = client.getHandshake().address();
			call(client, FaultService.CLOSE_LISTENER, "close");
			assertThat(echo(client, "still connected")).isEqualTo("still connected");
			call(client, FaultService.DROP_CONNECTIONS, "drop");
			Status failure = awaitFailure(client, "Connection refused");
			assertThat(failure.getDescription()).startsWith("Plugin 'faulty' is unavailable (state RUNNING)")
				.contains("Connection refused: " + socket);
			assertDown(client, "Connection refused");
		}
		finally {
			stopAndCheck(client);
		}
		assertGone(pid);
		ReliabilityRecord.put(TransportFaultsIT.class, "listenerClosed.faults", 1);
	}

	@Test
	void aPluginThatClosesItsStdoutAfterTheHandshakeKeepsWorking() throws Exception {
		PluginClient client = new PluginClient(config(FaultyPlugin.command("stdout-closed-after-handshake")),
				TestHost.SHARED);
		client.start();
		long pid = client.getPid();
		try {
			assertThat(echo(client, "fine")).isEqualTo("fine");
			assertThat(new PluginHealthIndicator(client).health().getStatus())
				.isEqualTo(org.springframework.boot.actuate.health.Status.UP);
		}
		finally {
			stopAndCheck(client);
		}
		assertThat(client.getLastExitStatus()).as("graceful exit").isZero();
		assertGone(pid);
		ReliabilityRecord.put(TransportFaultsIT.class, "stdoutClosedAfterHandshake.faults", 1);
	}

	@Test
	void aPluginThatClosesItsStdoutBeforeTheHandshakeFailsTheStartAtOnceNamingThePlugin() throws Exception {
		PluginClient client = new PluginClient(config(FaultyPlugin.command("stdout-closed-before-handshake")),
				TestHost.SHARED);
		// "At once": the start fails for the closed stdout, not for start-timeout (whose
		// message differs).
		assertThatExceptionOfType(PluginStartException.class).isThrownBy(client::start)
			.withMessageContaining("Plugin 'faulty'")
			.withMessageContaining("closed its stdout before printing a handshake line")
			.withMessageContaining("stdout closed before the handshake")
			.withMessageNotContaining("start-timeout");
		assertThat(client.getState()).isEqualTo(PluginState.FAILED);
		Processes.awaitGone(ProcessHandle.current()
			.descendants()
			.filter((process) -> process.info().commandLine().orElse("").contains(FaultyPlugin.class.getName()))
			.toList(), "the plugin whose start failed");
		assertThat(leftInSocketDirectory()).isEmpty();
		ReliabilityRecord.put(TransportFaultsIT.class, "stdoutClosedBeforeHandshake.faults", 1);
	}

	private PluginClientConfig config(List<String> command) {
		return new PluginClientConfig("faulty", command, null, Map.of(), "BASIC_PLUGIN", "hello", Set.of(1), true, null,
				null, Processes.HANG_GUARD, STOP_TIMEOUT, 10000, 25000, false, null, this.sockets);
	}

	private static String echo(PluginClient client, String text) {
		return call(client, FaultService.ECHO, text);
	}

	private static String call(PluginClient client, io.grpc.MethodDescriptor<byte[], byte[]> method, String text) {
		byte[] response = ClientCalls.blockingUnaryCall(client.channel(), method,
				CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), text.getBytes(StandardCharsets.UTF_8));
		return new String(response, StandardCharsets.UTF_8);
	}

	/**
	 * Calls until the lost connection shows (the first calls may still meet the old one
	 * closing); each call must fail UNAVAILABLE, not DEADLINE_EXCEEDED: nothing waits for
	 * a connection that cannot come. The deadline and the loop's bound only guard against
	 * a hang.
	 */
	private static Status awaitFailure(PluginClient client, String reason) throws InterruptedException {
		Instant deadline = Instant.now().plus(Processes.HANG_GUARD);
		Status last = null;
		while (Instant.now().isBefore(deadline)) {
			try {
				ClientCalls.blockingUnaryCall(client.channel(), FaultService.ECHO,
						CallOptions.DEFAULT.withDeadlineAfter(Processes.HANG_GUARD.toSeconds(), TimeUnit.SECONDS),
						new byte[] { 1 });
			}
			catch (StatusRuntimeException ex) {
				last = ex.getStatus();
				assertThat(last.getCode()).as("%s", last).isEqualTo(Status.Code.UNAVAILABLE);
				if (last.getDescription().contains(reason)) {
					return last;
				}
			}
			Thread.sleep(50);
		}
		throw new AssertionError("No call failed for want of a connection within " + Processes.HANG_GUARD.toSeconds()
				+ " s; last failure: " + last);
	}

	private static void assertDown(PluginClient client, String reason) {
		Health health = new PluginHealthIndicator(client).health();
		assertThat(health.getStatus()).as("%s", health).isEqualTo(org.springframework.boot.actuate.health.Status.DOWN);
		assertThat(health.getDetails().get("reason").toString()).contains("Plugin 'faulty'", reason);
	}

	private void stopAndCheck(PluginClient client) throws Exception {
		client.stop();
		assertThat(client.getState()).isEqualTo(PluginState.STOPPED);
		assertThat(leftInSocketDirectory()).as("sockets and directories left").isEmpty();
	}

	private List<Path> leftInSocketDirectory() throws Exception {
		try (Stream<Path> entries = Files.list(this.sockets)) {
			return entries.toList();
		}
	}

	private static void assertGone(long pid) throws InterruptedException {
		Processes.awaitGone(pid, "the plugin process");
	}

}
