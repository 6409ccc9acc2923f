package io.pluginrpc.sample.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;

import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginClientConfig;
import io.pluginrpc.reliability.ReliabilityRecord;
import io.pluginrpc.sample.plugin.InteropPeers;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.GetResponse;
import io.pluginrpc.sample.proto.KVGrpc;

import static org.assertj.core.api.Assertions.assertThat;

/** Plugins that misbehave or die while calls are open: every call ends, clearly, and no process is left. */
class FaultsIT {

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);

	@Test
	void stopsAPluginThatIgnoresShutdownAndHangsInACall() throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		PluginClient client = client(List.of(java, "-cp", System.getProperty("java.class.path"),
				StubbornPlugin.class.getName()));
		client.start();
		long pid = client.getPid();
		CompletableFuture<Status> hanging = new CompletableFuture<>();
		KVGrpc.newStub(client.channel()).get(GetRequest.newBuilder().setKey("k").build(), observer(hanging));

		long before = System.nanoTime();
		client.stop();
		assertThat(Duration.ofNanos(System.nanoTime() - before)).as("stop within stop-timeout + 1 s")
			.isLessThan(STOP_TIMEOUT.plusSeconds(1));
		assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
		Status status = hanging.get(1, TimeUnit.SECONDS);
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
			Status status = stream.get(1, TimeUnit.SECONDS);
			assertThat(status.getCode()).as("%s", status).isEqualTo(Status.Code.UNAVAILABLE);
			assertThat(status.getDescription()).startsWith("Plugin 'faulty' is unavailable");
			ReliabilityRecord.put(FaultsIT.class, "killedDuringServerStream.faults", 1);
		}
		finally {
			client.stop();
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
		return new PluginClient(new PluginClientConfig("faulty", command, null, Map.of(), "BASIC_PLUGIN", "hello", Set.of(1),
				true, null, null, Duration.ofSeconds(60), STOP_TIMEOUT, 10000, 25000, false, null, null));
	}

}
