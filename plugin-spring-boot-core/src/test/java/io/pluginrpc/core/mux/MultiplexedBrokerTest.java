package io.pluginrpc.core.mux;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.pluginrpc.core.PluginEnvironment;
import io.pluginrpc.core.Platform;
import io.pluginrpc.core.broker.GrpcBroker;
import io.pluginrpc.core.handshake.HandshakeLine;
import io.pluginrpc.core.tls.AutoMtlsCertificate;
import io.pluginrpc.core.tls.TlsIdentity;
import io.pluginrpc.core.transport.SocketDirectory;
import io.pluginrpc.core.transport.Transports;
import io.pluginrpc.plugin.PluginServer;
import io.pluginrpc.plugin.PluginServerSettings;
import io.pluginrpc.proto.plugin.GRPCBrokerGrpc;
import io.pluginrpc.sample.proto.AddHelperGrpc;
import io.pluginrpc.sample.proto.CounterEmpty;
import io.pluginrpc.sample.proto.CounterGetRequest;
import io.pluginrpc.sample.proto.CounterGetResponse;
import io.pluginrpc.sample.proto.CounterGrpc;
import io.pluginrpc.sample.proto.CounterPutRequest;
import io.pluginrpc.sample.proto.SumRequest;
import io.pluginrpc.sample.proto.SumResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Our plugin server with {@code PLUGIN_MULTIPLEX_GRPC=true} and our host's multiplexed
 * dialer and broker, over real sockets, with and without AutoMTLS, on Unix sockets and
 * TCP: the main connection, the Counter's callback to the host's AddHelper (the plugin
 * knocks), a knock that arrives before its listener, a host dial of a server the plugin
 * brokers (the host knocks), and a knock for an id nobody serves.
 */
class MultiplexedBrokerTest {

	private final List<AutoCloseable> resources = new ArrayList<>();

	@AfterEach
	void release() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
		System.clearProperty(Platform.PORTABLE_PROPERTY);
	}

	/**
	 * Both sides in this JVM; in the portable mode (NIO, the plugin on TCP) the brokered
	 * servers still listen on Unix sockets that only the yamux session reaches, never
	 * announced.
	 */
	@ParameterizedTest(name = "{0}, AutoMTLS {1}, portable {2}")
	@CsvSource({ "unix, false, false", "unix, true, false", "tcp, false, false", "tcp, true, false", "tcp, false, true",
			"tcp, true, true" })
	void counterCallsBackThroughTheMultiplexedBroker(String network, boolean autoMtls, boolean portable)
			throws Exception {
		if (portable) {
			System.setProperty(Platform.PORTABLE_PROPERTY, "true");
		}
		Map<String, String> env = new HashMap<>();
		env.put(PluginEnvironment.MULTIPLEX_GRPC, "true");
		AutoMtlsCertificate hostCertificate = autoMtls ? AutoMtlsCertificate.generate() : null;
		if (autoMtls) {
			env.put(PluginEnvironment.CLIENT_CERT, hostCertificate.pem());
		}
		PluginServer plugin = PluginServer.prepare(
				new PluginServerSettings(env, network, Duration.ofSeconds(1), Duration.ofSeconds(5)),
				new HealthStatusManager());
		this.resources.add(plugin);
		Counter counter = new Counter(plugin);
		HandshakeLine line = plugin.start(1, List.of(counter.bindService()), () -> {
		});
		assertThat(plugin.isMultiplexed()).isTrue();
		HandshakeLine handshake = HandshakeLine.parse("mux", line.format(), java.util.Set.of(1), true);

		SocketDirectory sockets = SocketDirectory.create(null, null);
		this.resources.add(sockets);
		BrokerMultiplexer multiplexer = MultiplexedDialer.dial("Plugin 'mux'", handshake.network(), handshake.address(),
				sockets, Duration.ofSeconds(5));
		this.resources.add(multiplexer);
		TlsIdentity tls = autoMtls ? TlsIdentity.autoMtls(hostCertificate, handshake.certificate()) : null;
		ManagedChannel channel = Transports
			.channelBuilder(new DomainSocketAddress(multiplexer.mainEndpoint().toString()), tls)
			.build();
		this.resources.add(channel::shutdownNow);
		GrpcBroker broker = new GrpcBroker("Plugin 'mux'", sockets, tls, Duration.ofSeconds(5), multiplexer);
		this.resources.add(broker);
		broker.connect(GRPCBrokerGrpc.newStub(channel));

		assertThat(HealthGrpc.newBlockingStub(channel)
			.check(HealthCheckRequest.newBuilder().setService(PluginServer.HEALTH_SERVICE).build())
			.getStatus()).isEqualTo(ServingStatus.SERVING);

		CounterGrpc.CounterBlockingStub stub = CounterGrpc.newBlockingStub(channel)
			.withDeadlineAfter(30, TimeUnit.SECONDS);
		for (long add : new long[] { 5, 7, 30 }) {
			int id = broker.nextId();
			broker.acceptAndServe(id, new Adder());
			stub.put(CounterPutRequest.newBuilder().setKey("c").setValue(add).setAddServer(id).build());
		}
		assertThat(stub.get(CounterGetRequest.newBuilder().setKey("c").build()).getValue()).isEqualTo(42);

		// A knock that arrives before its listener waits for it (go-plugin keeps it until
		// Accept).
		int late = broker.nextId();
		CompletableFuture<Void> put = CompletableFuture.runAsync(
				() -> stub.put(CounterPutRequest.newBuilder().setKey("c").setValue(8).setAddServer(late).build()));
		await().atMost(Duration.ofSeconds(30)).until(() -> multiplexer.earlyKnocks() == 1 || put.isDone());
		assertThat(put).as("the Put waits for the listener").isNotDone();
		broker.acceptAndServe(late, new Adder());
		put.get(30, TimeUnit.SECONDS);
		assertThat(stub.get(CounterGetRequest.newBuilder().setKey("c").build()).getValue()).isEqualTo(50);

		// The other direction: the plugin brokers a server, the host dials it (and
		// knocks).
		int pluginId = plugin.broker().nextId() + 1000;
		plugin.broker().acceptAndServe(pluginId, new Adder());
		ManagedChannel toPlugin = broker.dial(pluginId);
		try {
			assertThat(AddHelperGrpc.newBlockingStub(toPlugin)
				.withDeadlineAfter(30, TimeUnit.SECONDS)
				.sum(SumRequest.newBuilder().setA(40).setB(2).build())
				.getR()).isEqualTo(42);
		}
		finally {
			toPlugin.shutdownNow();
		}

		// A knock for an id nobody serves is refused in the acknowledgement; the call
		// fails, nothing hangs.
		ManagedChannel nowhere = broker.dial(999_999);
		try {
			assertThatExceptionOfType(StatusRuntimeException.class)
				.isThrownBy(() -> AddHelperGrpc.newBlockingStub(nowhere)
					.withDeadlineAfter(30, TimeUnit.SECONDS)
					.sum(SumRequest.newBuilder().build()))
				.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
		}
		finally {
			nowhere.shutdownNow();
		}
		// The session survives the refusal.
		assertThat(stub.get(CounterGetRequest.newBuilder().setKey("c").build()).getValue()).isEqualTo(50);
	}

	@ParameterizedTest(name = "PLUGIN_MULTIPLEX_GRPC={0}")
	@CsvSource(nullValues = "unset",
			value = { "unset, , false", "false, true, false", "0, true, false", "1, true, true" })
	void answersField7AndMultiplexesLikeGoPlugin(String variable, Boolean field7, boolean multiplexed) {
		Map<String, String> env = new HashMap<>();
		if (variable != null) {
			env.put(PluginEnvironment.MULTIPLEX_GRPC, variable);
		}
		PluginServer plugin = PluginServer.prepare(
				new PluginServerSettings(env, "unix", Duration.ofSeconds(1), Duration.ofSeconds(5)),
				new HealthStatusManager());
		this.resources.add(plugin);
		HandshakeLine line = plugin.start(1, List.of(), () -> {
		});
		// go-plugin answers 'true' whenever the variable is set, and multiplexes when it
		// parses as true.
		assertThat(line.multiplex()).isEqualTo(field7);
		assertThat(plugin.isMultiplexed()).isEqualTo(multiplexed);
	}

	/**
	 * go-plugin's bidirectional Counter: Put adds through the host's AddHelper, dialled
	 * through the broker.
	 */
	private static final class Counter extends CounterGrpc.CounterImplBase {

		private final PluginServer plugin;

		private final Map<String, Long> values = new ConcurrentHashMap<>();

		Counter(PluginServer plugin) {
			this.plugin = plugin;
		}

		@Override
		public void put(CounterPutRequest request, StreamObserver<CounterEmpty> response) {
			try {
				ManagedChannel channel = this.plugin.broker().dial((int) request.getAddServer());
				try {
					long sum = AddHelperGrpc.newBlockingStub(channel)
						.withDeadlineAfter(20, TimeUnit.SECONDS)
						.sum(SumRequest.newBuilder()
							.setA(this.values.getOrDefault(request.getKey(), 0L))
							.setB(request.getValue())
							.build())
						.getR();
					this.values.put(request.getKey(), sum);
				}
				finally {
					channel.shutdownNow();
				}
				response.onNext(CounterEmpty.getDefaultInstance());
				response.onCompleted();
			}
			catch (Exception ex) {
				response.onError(Status.INTERNAL.withDescription(ex.toString()).asRuntimeException());
			}
		}

		@Override
		public void get(CounterGetRequest request, StreamObserver<CounterGetResponse> response) {
			response.onNext(
					CounterGetResponse.newBuilder().setValue(this.values.getOrDefault(request.getKey(), 0L)).build());
			response.onCompleted();
		}

	}

	private static final class Adder extends AddHelperGrpc.AddHelperImplBase {

		@Override
		public void sum(SumRequest request, StreamObserver<SumResponse> response) {
			response.onNext(SumResponse.newBuilder().setR(request.getA() + request.getB()).build());
			response.onCompleted();
		}

	}

}
