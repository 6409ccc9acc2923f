package io.pluginrpc.integration;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.health.Health;

import io.pluginrpc.actuate.PluginHealthIndicator;

import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginClientConfig;
import io.pluginrpc.host.PluginEventListener;
import io.pluginrpc.host.PluginState;
import io.pluginrpc.host.RestartPolicy;
import io.pluginrpc.reliability.ReliabilityRecord;
import io.pluginrpc.sample.plugin.InteropPeers;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.GetResponse;
import io.pluginrpc.sample.proto.KVGrpc;
import io.pluginrpc.testing.Processes;
import io.pluginrpc.testing.TestHost;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plugins that misbehave or die while calls are open (unary, server stream, client
 * stream): every call ends, clearly, and no process is left; a supervised plugin comes
 * back and serves again.
 */
class FaultsIT {

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);

	@Test
	void stopsAPluginThatIgnoresShutdownAndHangsInACall() throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		PluginClient client = client(
				List.of(java, "-cp", System.getProperty("java.class.path"), StubbornPlugin.class.getName()));
		client.start();
		long pid = client.getPid();
		CompletableFuture<Status> hanging = new CompletableFuture<>();
		try {
			KVGrpc.newStub(client.channel()).get(GetRequest.newBuilder().setKey("k").build(), observer(hanging));
			waitFor(() -> received(client).equals("1"), "the plugin to hold the Get");
			assertThat(hanging).as("the Get is open").isNotDone();

			// Ends although the plugin ignores Shutdown and holds a call: the host kills
			// it after stop-timeout.
			// How soon is for the benchmarks; the bound of Processes only guards against
			// a hang.
			client.stop();
			assertThat(client.getState()).isEqualTo(PluginState.STOPPED);
		}
		finally {
			client.stop();
		}
		Processes.awaitGone(pid, "the stubborn plugin after stop");
		Status status = hanging.get(Processes.HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
		assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
		assertThat(status.getDescription()).contains("Plugin 'faulty'");
		ReliabilityRecord.put(FaultsIT.class, "ignoresShutdownAndHangs.faults", 1);
	}

	@Test
	void aServerStreamEndsWithUnavailableNamingThePluginWhenThePluginIsKilled() throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		PluginClient client = client(List.of(java, "-jar", InteropPeers.samplePluginJar().toString()));
		client.start();
		try {
			CompletableFuture<Status> stream = new CompletableFuture<>();
			CompletableFuture<Void> first = new CompletableFuture<>();
			HealthGrpc.newStub(client.channel())
				.watch(HealthCheckRequest.newBuilder().setService("plugin").build(), new StreamObserver<>() {
					@Override
					public void onNext(HealthCheckResponse value) {
						first.complete(null);
					}

					@Override
					public void onError(Throwable error) {
						stream.complete(Status.fromThrowable(error));
					}

					@Override
					public void onCompleted() {
						stream.complete(Status.OK);
					}
				});
			first.get(30, TimeUnit.SECONDS);
			ProcessHandle.of(client.getPid()).orElseThrow().destroyForcibly();
			Status status = stream.get(Processes.HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
			assertThat(status.getCode()).as("%s", status).isEqualTo(Status.Code.UNAVAILABLE);
			assertThat(status.getDescription()).startsWith("Plugin 'faulty' is unavailable");
			ReliabilityRecord.put(FaultsIT.class, "killedDuringServerStream.faults", 1);
		}
		finally {
			client.stop();
		}
	}

	@Test
	void aClientStreamEndsWithUnavailableNamingThePluginWhenThePluginIsKilledAndTheRestartedPluginServesAgain()
			throws Exception {
		// A restart delay long enough to see health DOWN in between, however loaded the
		// machine.
		PluginClient client = new PluginClient(config(FaultyPlugin.command("direct")), TestHost.SHARED,
				new RestartPolicy(true, Duration.ofSeconds(3), Duration.ofSeconds(3), 1.0, -1, Duration.ZERO),
				PluginEventListener.NONE, List.of());
		PluginHealthIndicator health = new PluginHealthIndicator(client);
		client.start();
		long firstPid = client.getPid();
		try {
			assertThat(health.health().getStatus()).isEqualTo(org.springframework.boot.actuate.health.Status.UP);
			Upload upload = Upload.open(client.channel());
			upload.send("first");
			waitFor(() -> received(client).equals("1"), "the plugin to receive the first message of the stream");
			assertThat(upload.closed).as("the stream is open").isNotDone();

			ProcessHandle.of(firstPid).orElseThrow().destroyForcibly();
			Status status = upload.closed.get(Processes.HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
			assertThat(status.getCode()).as("%s", status).isEqualTo(Status.Code.UNAVAILABLE);
			assertThat(status.getDescription()).startsWith("Plugin 'faulty' is unavailable");

			waitFor(() -> client.getState() != PluginState.RUNNING, "the crash to be noticed");
			Health down = health.health();
			assertThat(down.getStatus()).as("%s", down).isEqualTo(org.springframework.boot.actuate.health.Status.DOWN);
			assertThat(down.getDetails().get("reason").toString()).contains("Plugin 'faulty'", "exited unexpectedly");

			waitFor(() -> client.getState() == PluginState.RUNNING, "the restart");
			assertThat(client.getPid()).isNotEqualTo(firstPid);
			assertThat(client.getRestarts()).isEqualTo(1);
			assertThat(health.health().getStatus()).isEqualTo(org.springframework.boot.actuate.health.Status.UP);
			Upload again = Upload.open(client.channel());
			again.send("a");
			again.send("b");
			again.call.halfClose();
			assertThat(again.closed.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
			assertThat(again.response.get()).as("messages the restarted plugin counted").isEqualTo("2");
			ReliabilityRecord.put(FaultsIT.class, "killedDuringClientStream.faults", 1);
		}
		finally {
			client.stop();
		}
		Processes.awaitGone(firstPid, "the killed plugin");
	}

	/** A client-streaming call of {@link FaultService#UPLOAD}, with what it heard. */
	private record Upload(ClientCall<byte[], byte[]> call, CompletableFuture<Status> closed,
			AtomicReference<String> response) {

		static Upload open(Channel channel) {
			Upload upload = new Upload(channel.newCall(FaultService.UPLOAD, CallOptions.DEFAULT),
					new CompletableFuture<>(), new AtomicReference<>());
			upload.call.start(new ClientCall.Listener<>() {
				@Override
				public void onMessage(byte[] message) {
					upload.response.set(new String(message, StandardCharsets.US_ASCII));
				}

				@Override
				public void onClose(Status status, Metadata trailers) {
					upload.closed.complete(status);
				}
			}, new Metadata());
			upload.call.request(1);
			return upload;
		}

		void send(String message) {
			this.call.sendMessage(message.getBytes(StandardCharsets.US_ASCII));
		}

	}

	private static String received(PluginClient client) {
		byte[] count = ClientCalls.blockingUnaryCall(client.channel(), FaultService.RECEIVED,
				CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), new byte[0]);
		return new String(count, StandardCharsets.US_ASCII);
	}

	private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
		Instant deadline = Instant.now().plus(Processes.HANG_GUARD);
		while (!condition.getAsBoolean()) {
			if (Instant.now().isAfter(deadline)) {
				throw new AssertionError("Waited " + Processes.HANG_GUARD.toSeconds() + " s for " + what);
			}
			Thread.sleep(10);
		}
	}

	private static StreamObserver<GetResponse> observer(CompletableFuture<Status> result) {
		return new StreamObserver<>() {
			@Override
			public void onNext(GetResponse value) {
			}

			@Override
			public void onError(Throwable error) {
				result.complete(Status.fromThrowable(error));
			}

			@Override
			public void onCompleted() {
				result.complete(Status.OK);
			}
		};
	}

	private static PluginClient client(List<String> command) {
		return new PluginClient(config(command), TestHost.SHARED);
	}

	private static PluginClientConfig config(List<String> command) {
		return new PluginClientConfig("faulty", command, null, Map.of(), "BASIC_PLUGIN", "hello", Set.of(1), true, null,
				null, Processes.HANG_GUARD, STOP_TIMEOUT, 10000, 25000, false, null, null);
	}

}
