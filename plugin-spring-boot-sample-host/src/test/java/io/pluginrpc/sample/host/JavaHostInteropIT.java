package io.pluginrpc.sample.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginClientConfig;
import io.pluginrpc.host.PluginState;
import io.pluginrpc.sample.plugin.InteropPeers;
import io.pluginrpc.sample.proto.AddHelperGrpc;
import io.pluginrpc.sample.proto.CounterGetRequest;
import io.pluginrpc.sample.proto.CounterGrpc;
import io.pluginrpc.sample.proto.CounterPutRequest;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.KVGrpc;
import io.pluginrpc.sample.proto.PutRequest;
import io.pluginrpc.sample.proto.SumRequest;
import io.pluginrpc.sample.proto.SumResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java host loads real plugins of every kind: Go plugins built on Debian's go-plugin 1.0.1, a Python
 * plugin written the go-plugin way, and the Java sample plugin; KV calls, broker callbacks with and
 * without AutoMTLS, and nothing left behind after stop.
 */
class JavaHostInteropIT {

	private final List<PluginClient> clients = new ArrayList<>();

	private final List<Long> pids = new ArrayList<>();

	@AfterEach
	void stopAndCheckNothingIsLeft() {
		this.clients.forEach(PluginClient::stop);
		for (Long pid : this.pids) {
			ProcessHandle.of(pid).ifPresent((process) -> {
				process.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally((ex) -> null).join();
				assertThat(process.isAlive()).as("plugin process %d left behind", pid).isFalse();
			});
		}
	}

	@ParameterizedTest(name = "{0} plugin, AutoMTLS {1}")
	@CsvSource({ "go, true", "go, false", "python, false", "java, true", "java, false" })
	void callsKv(String kind, boolean autoMtls) {
		PluginClient client = start("kv", kvCommand(kind), autoMtls);
		KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(client.channel()).withDeadlineAfter(30, TimeUnit.SECONDS);
		kv.put(PutRequest.newBuilder().setKey("hello").setValue(ByteString.copyFromUtf8("world")).build());
		assertThat(kv.get(GetRequest.newBuilder().setKey("hello").build()).getValue().toStringUtf8()).isEqualTo("world");
		byte[] big = new byte[1 << 20];
		for (int i = 0; i < big.length; i++) {
			big[i] = (byte) (i * 31);
		}
		kv.put(PutRequest.newBuilder().setKey("big").setValue(ByteString.copyFrom(big)).build());
		assertThat(kv.get(GetRequest.newBuilder().setKey("big").build()).getValue().toByteArray()).isEqualTo(big);
		assertThat(kv.get(GetRequest.newBuilder().setKey("missing").build()).getValue().isEmpty()).isTrue();
		stopAndCheckCleanedUp(client);
	}

	@ParameterizedTest(name = "{0} plugin, AutoMTLS {1}")
	@CsvSource({ "go, true", "go, false", "java, true", "java, false" })
	void servesCallbacksThroughTheBroker(String kind, boolean autoMtls) {
		List<String> command = kind.equals("go")
				? List.of(InteropPeers.build().resolve("interop/build/bin/go-counter-plugin").toString())
				: javaPlugin("counter");
		PluginClient client = start("counter", command, autoMtls);
		CounterGrpc.CounterBlockingStub counter = CounterGrpc.newBlockingStub(client.channel());
		for (long add : new long[] { 5, 7 }) {
			// One announcement per call, as go-plugin's example does: an announcement serves exactly one dial.
			int id = client.broker().nextId();
			Server adder = client.broker().acceptAndServe(id, new Adder());
			try {
				counter.withDeadlineAfter(30, TimeUnit.SECONDS)
					.put(CounterPutRequest.newBuilder().setAddServer(id).setKey("c").setValue(add).build());
			}
			finally {
				adder.shutdownNow();
			}
		}
		assertThat(counter.get(CounterGetRequest.newBuilder().setKey("c").build()).getValue()).isEqualTo(12);
		stopAndCheckCleanedUp(client);
	}

	@Test
	void streamsThePluginsStdoutAndKeepsStubsWorkingAcrossARestart() throws Exception {
		Logger stdout = (Logger) LoggerFactory.getLogger("plugin.kv.stdout");
		ListAppender<ILoggingEvent> lines = new ListAppender<>();
		lines.start();
		stdout.addAppender(lines);
		try {
			PluginClient client = start("kv", javaPlugin(), true);
			KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(client.channel());
			long deadline = System.currentTimeMillis() + 30_000;
			while (lines.list.stream().noneMatch((e) -> e.getFormattedMessage().equals("sample plugin ready"))) {
				assertThat(System.currentTimeMillis()).as("the plugin's stdout line should arrive over GRPCStdio").isLessThan(deadline);
				Thread.sleep(50);
			}
			client.stop();
			client.start();
			this.pids.add(client.getPid());
			kv.withDeadlineAfter(30, TimeUnit.SECONDS)
				.put(PutRequest.newBuilder().setKey("after").setValue(ByteString.copyFromUtf8("restart")).build());
			assertThat(kv.get(GetRequest.newBuilder().setKey("after").build()).getValue().toStringUtf8()).isEqualTo("restart");
		}
		finally {
			stdout.detachAppender(lines);
		}
	}

	private PluginClient start(String name, List<String> command, boolean autoMtls) {
		PluginClient client = new PluginClient(new PluginClientConfig(name, command, null, Map.of(), "BASIC_PLUGIN",
				"hello", Set.of(1), autoMtls, null, null, Duration.ofSeconds(60), Duration.ofSeconds(2), 10000, 25000, false, null, null), TestHost.SHARED);
		this.clients.add(client);
		client.start();
		assertThat(client.getState()).isEqualTo(PluginState.RUNNING);
		assertThat(client.getNegotiatedVersion()).isEqualTo(1);
		this.pids.add(client.getPid());
		return client;
	}

	private void stopAndCheckCleanedUp(PluginClient client) {
		String address = client.getHandshake().address();
		String network = client.getHandshake().network();
		client.stop();
		assertThat(client.getState()).isEqualTo(PluginState.STOPPED);
		if (network.equals("unix")) {
			assertThat(Path.of(address)).doesNotExist();
			Path directory = Path.of(address).getParent();
			if (directory.getFileName().toString().startsWith("plugin")) {
				assertThat(Files.exists(directory)).as("socket directory %s left behind", directory).isFalse();
			}
		}
	}

	private static List<String> kvCommand(String kind) {
		Path root = InteropPeers.build();
		return switch (kind) {
			case "go" -> List.of(root.resolve("interop/build/bin/go-kv-plugin").toString());
			case "python" -> List.of("/usr/bin/python3", root.resolve("interop/python/kv_plugin.py").toString());
			default -> javaPlugin();
		};
	}

	private static List<String> javaPlugin(String... args) {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-jar", InteropPeers.samplePluginJar().toString()));
		command.addAll(List.of(args));
		return command;
	}

	/** The host's AddHelper, served to the plugin through the broker. */
	static final class Adder extends AddHelperGrpc.AddHelperImplBase {

		@Override
		public void sum(SumRequest request, StreamObserver<SumResponse> responseObserver) {
			responseObserver.onNext(SumResponse.newBuilder().setR(request.getA() + request.getB()).build());
			responseObserver.onCompleted();
		}

	}

}
