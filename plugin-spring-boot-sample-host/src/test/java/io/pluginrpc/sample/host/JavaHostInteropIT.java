package io.pluginrpc.sample.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import io.pluginrpc.core.broker.GrpcBroker;
import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginClientConfig;
import io.pluginrpc.host.PluginStartException;
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
import io.pluginrpc.testing.MarkedSleeps;
import io.pluginrpc.testing.TestHost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The Java host loads real plugins of every kind: our Go plugins built against go-plugin
 * 1.0.1 (Debian's) and v1.6.3, go-plugin 1.6.3's own example plugins built unmodified, a
 * Python plugin written the go-plugin way, and the Java sample plugin; KV calls, broker
 * callbacks with and without AutoMTLS, with and without gRPC broker multiplexing
 * ({@code grpc-broker-multiplex}, go-plugin 1.6's {@code GRPCBrokerMultiplex}) where the
 * plugin supports it, and nothing left behind after stop.
 */
class JavaHostInteropIT {

	private final List<PluginClient> clients = new ArrayList<>();

	private final List<Long> pids = new ArrayList<>();

	@AfterEach
	void stopAndCheckNothingIsLeft() {
		this.clients.forEach(PluginClient::stop);
		for (Long pid : this.pids) {
			ProcessHandle.of(pid).ifPresent((process) -> {
				// A bound against a hang; isRunning, unlike isAlive, does not count an
				// unreaped zombie.
				process.onExit().orTimeout(60, TimeUnit.SECONDS).exceptionally((ex) -> null).join();
				assertThat(MarkedSleeps.isRunning(process)).as("plugin process %d left behind", pid).isFalse();
			});
		}
	}

	/**
	 * The KV plugins: ours in Go against each go-plugin version, the Python one
	 * (plaintext TCP only) and the Java sample; each with AutoMTLS on and off where it
	 * supports it.
	 */
	static Stream<Arguments> kvPlugins() {
		Stream<Arguments> go = InteropPeers.goPeers()
			.flatMap((peer) -> Stream.of(true, false)
				.map((tls) -> Arguments.of(peer.toString(), List.of(peer.binary("go-kv-plugin").toString()), tls,
						peer.multiplex())));
		Stream<Arguments> others = Stream.of(Arguments.of("python", pythonPlugin(), false, false),
				Arguments.of("java", javaPlugin(), true, false), Arguments.of("java", javaPlugin(), false, false),
				Arguments.of("java (multiplex)", javaPlugin(), true, true),
				Arguments.of("java (multiplex)", javaPlugin(), false, true));
		return Stream.concat(go, others);
	}

	@ParameterizedTest(name = "{0} plugin, AutoMTLS {2}")
	@MethodSource("kvPlugins")
	void callsKv(String kind, List<String> command, boolean autoMtls, boolean multiplex) {
		PluginClient client = start("kv", command, autoMtls, multiplex, null);
		KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(client.channel()).withDeadlineAfter(30, TimeUnit.SECONDS);
		kv.put(PutRequest.newBuilder().setKey("hello").setValue(ByteString.copyFromUtf8("world")).build());
		assertThat(kv.get(GetRequest.newBuilder().setKey("hello").build()).getValue().toStringUtf8())
			.isEqualTo("world");
		byte[] big = new byte[1 << 20];
		for (int i = 0; i < big.length; i++) {
			big[i] = (byte) (i * 31);
		}
		kv.put(PutRequest.newBuilder().setKey("big").setValue(ByteString.copyFrom(big)).build());
		assertThat(kv.get(GetRequest.newBuilder().setKey("big").build()).getValue().toByteArray()).isEqualTo(big);
		assertThat(kv.get(GetRequest.newBuilder().setKey("missing").build()).getValue().isEmpty()).isTrue();
		stopAndCheckCleanedUp(client);
	}

	/**
	 * go-plugin 1.6.3's {@code examples/grpc} plugin as it ships: it stores a value in
	 * the file {@code kv_<key>} of its working directory with a suffix of its own, and
	 * fails a Get of a key never put.
	 */
	@ParameterizedTest(name = "AutoMTLS {0}")
	@ValueSource(booleans = { true, false })
	void callsGoPluginsGrpcExamplePlugin(boolean autoMtls, @TempDir Path directory) {
		PluginClient client = start("kv", List.of(InteropPeers.example("kv-go-grpc").toString()), autoMtls, false,
				directory);
		KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(client.channel()).withDeadlineAfter(30, TimeUnit.SECONDS);
		kv.put(PutRequest.newBuilder().setKey("hello").setValue(ByteString.copyFromUtf8("world")).build());
		assertThat(kv.get(GetRequest.newBuilder().setKey("hello").build()).getValue().toStringUtf8())
			.isEqualTo("world\n\nWritten from plugin-go-grpc");
		assertThat(directory.resolve("kv_hello")).hasContent("world\n\nWritten from plugin-go-grpc");
		StatusRuntimeException missing = catchThrowableOfType(StatusRuntimeException.class,
				() -> kv.get(GetRequest.newBuilder().setKey("missing").build()));
		assertThat(missing).as("a Get of a key never put fails in the example").isNotNull();
		assertThat(missing.getStatus().getDescription()).contains("kv_missing");
		stopAndCheckCleanedUp(client);
	}

	/**
	 * The Counter plugins: ours in Go against each go-plugin version, go-plugin 1.6.3's
	 * {@code examples/bidirectional} plugin as it ships, and the Java sample; AutoMTLS on
	 * and off.
	 */
	static Stream<Arguments> counterPlugins() {
		Stream<Arguments> go = InteropPeers.goPeers()
			.flatMap((peer) -> Stream.of(true, false)
				.map((tls) -> Arguments.of(peer.toString(), List.of(peer.binary("go-counter-plugin").toString()), tls,
						peer.multiplex())));
		Stream<Arguments> others = Stream.of(true, false)
			.flatMap((tls) -> Stream.of(
					Arguments.of("go-plugin 1.6.3 examples/bidirectional",
							List.of(InteropPeers.example("counter-go-grpc").toString()), tls, false),
					Arguments.of("go-plugin 1.6.3 examples/bidirectional (multiplex)",
							List.of(InteropPeers.example("counter-go-grpc").toString()), tls, true),
					Arguments.of("java", javaPlugin("counter"), tls, false),
					Arguments.of("java (multiplex)", javaPlugin("counter"), tls, true)));
		return Stream.concat(go, others);
	}

	@ParameterizedTest(name = "{0} plugin, AutoMTLS {2}")
	@MethodSource("counterPlugins")
	void servesCallbacksThroughTheBroker(String kind, List<String> command, boolean autoMtls, boolean multiplex,
			@TempDir Path directory) {
		// The example plugin keeps each counter in a file kv_<key> of its working
		// directory.
		PluginClient client = start("counter", command, autoMtls, multiplex, directory);
		CounterGrpc.CounterBlockingStub counter = CounterGrpc.newBlockingStub(client.channel());
		Adder adder = new Adder();
		for (long add : new long[] { 5, 7 }) {
			// One announcement per call, as go-plugin's example does: an announcement
			// serves exactly one dial.
			int id = client.broker().nextId();
			Server server = client.broker().acceptAndServe(id, adder);
			try {
				counter.withDeadlineAfter(30, TimeUnit.SECONDS)
					.put(CounterPutRequest.newBuilder().setAddServer(id).setKey("c").setValue(add).build());
			}
			finally {
				server.shutdownNow();
			}
		}
		assertThat(adder.calls).as("AddHelper calls through the broker").hasValue(2);
		assertThat(counter.withDeadlineAfter(30, TimeUnit.SECONDS)
			.get(CounterGetRequest.newBuilder().setKey("c").build())
			.getValue()).isEqualTo(12);
		stopAndCheckCleanedUp(client);
	}

	@Test
	void streamsThePluginsStdoutAndKeepsStubsWorkingAcrossARestart() throws Exception {
		Logger stdout = (Logger) LoggerFactory.getLogger("plugin.kv.stdout");
		ListAppender<ILoggingEvent> lines = new ListAppender<>();
		lines.start();
		stdout.addAppender(lines);
		try {
			PluginClient client = start("kv", javaPlugin(), true, false, null);
			KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(client.channel());
			long deadline = System.currentTimeMillis() + 30_000;
			while (lines.list.stream().noneMatch((e) -> e.getFormattedMessage().equals("sample plugin ready"))) {
				assertThat(System.currentTimeMillis()).as("the plugin's stdout line should arrive over GRPCStdio")
					.isLessThan(deadline);
				Thread.sleep(50);
			}
			client.stop();
			client.start();
			this.pids.add(client.getPid());
			kv.withDeadlineAfter(30, TimeUnit.SECONDS)
				.put(PutRequest.newBuilder().setKey("after").setValue(ByteString.copyFromUtf8("restart")).build());
			assertThat(kv.get(GetRequest.newBuilder().setKey("after").build()).getValue().toStringUtf8())
				.isEqualTo("restart");
		}
		finally {
			stdout.detachAppender(lines);
		}
	}

	/**
	 * A plugin without broker multiplexing (go-plugin 1.0.1's, whose handshake line has
	 * six fields) is refused at start when the host asks for it, with go-plugin's reason.
	 */
	@Test
	void refusesAPluginWithoutBrokerMultiplexingWhenTheHostAsksForIt() {
		PluginClient client = new PluginClient(
				config("kv", List.of(InteropPeers.GoPeer.V1_0_1.binary("go-kv-plugin").toString()), false, true, null),
				TestHost.SHARED);
		this.clients.add(client);
		assertThatExceptionOfType(PluginStartException.class).isThrownBy(client::start)
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(PluginStartException.Reason.HANDSHAKE))
			.withMessageStartingWith("Plugin 'kv': ")
			.withMessageContaining("the host requested gRPC broker multiplexing (grpc-broker-multiplex), but the plugin"
					+ " does not support the feature: its handshake line has no 7th field");
		assertThat(client.getState()).isEqualTo(PluginState.FAILED);
	}

	private PluginClient start(String name, List<String> command, boolean autoMtls, boolean multiplex,
			Path workingDirectory) {
		PluginClient client = new PluginClient(config(name, command, autoMtls, multiplex, workingDirectory),
				TestHost.SHARED);
		this.clients.add(client);
		client.start();
		assertThat(client.getState()).isEqualTo(PluginState.RUNNING);
		assertThat(client.getNegotiatedVersion()).isEqualTo(1);
		// With multiplexing every connection, the broker's included, rides on one yamux
		// session.
		// (The handshake's 7th field: absent before go-plugin 1.6, true or false after.)
		assertThat(Boolean.TRUE.equals(client.getHandshake().multiplex())).as("multiplexed").isEqualTo(multiplex);
		assertThat(client.broker()).isInstanceOfSatisfying(GrpcBroker.class,
				(broker) -> assertThat(broker.isMultiplexed()).as("broker multiplexed").isEqualTo(multiplex));
		this.pids.add(client.getPid());
		return client;
	}

	private static PluginClientConfig config(String name, List<String> command, boolean autoMtls, boolean multiplex,
			Path workingDirectory) {
		// The start timeout only guards against a hang: a JVM plugin on a busy 2-core
		// machine can take a minute.
		return new PluginClientConfig(name, command, workingDirectory, Map.of(), "BASIC_PLUGIN", "hello", Set.of(1),
				autoMtls, null, null, Duration.ofMinutes(3), Duration.ofSeconds(2), 10000, 25000, false, null, null)
			.withGrpcBrokerMultiplex(multiplex);
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

	private static List<String> pythonPlugin() {
		return List.of("/usr/bin/python3", InteropPeers.build().resolve("interop/python/kv_plugin.py").toString());
	}

	private static List<String> javaPlugin(String... args) {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
						InteropPeers.samplePluginJar().toString()));
		command.addAll(List.of(args));
		return command;
	}

	/** The host's AddHelper, served to the plugin through the broker. */
	static final class Adder extends AddHelperGrpc.AddHelperImplBase {

		final AtomicInteger calls = new AtomicInteger();

		@Override
		public void sum(SumRequest request, StreamObserver<SumResponse> responseObserver) {
			this.calls.incrementAndGet();
			responseObserver.onNext(SumResponse.newBuilder().setR(request.getA() + request.getB()).build());
			responseObserver.onCompleted();
		}

	}

}
