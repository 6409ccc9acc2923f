package io.pluginrpc.sample.plugin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.pluginrpc.core.broker.GrpcBroker;
import io.pluginrpc.core.tls.AutoMtlsCertificate;
import io.pluginrpc.core.tls.TlsIdentity;
import io.pluginrpc.core.transport.SocketDirectory;
import io.pluginrpc.proto.plugin.GRPCBrokerGrpc;
import io.pluginrpc.sample.plugin.InteropPeers.GoPeer;
import io.pluginrpc.sample.proto.AddHelperGrpc;
import io.pluginrpc.sample.proto.CounterGetRequest;
import io.pluginrpc.sample.proto.CounterGrpc;
import io.pluginrpc.sample.proto.CounterPutRequest;
import io.pluginrpc.sample.proto.SumRequest;
import io.pluginrpc.sample.proto.SumResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * go-plugin's bidirectional Counter example: the test, as host, serves AddHelper through
 * its own broker and the plugin dials it back for every Put, with and without AutoMTLS;
 * then the same with a go-plugin host of each version.
 */
class CounterBrokerIT {

	@ParameterizedTest(name = "AutoMTLS {0}")
	@ValueSource(booleans = { false, true })
	void counterAddsThroughTheHostsAddHelper(boolean autoMtls) throws Exception {
		AutoMtlsCertificate hostCertificate = autoMtls ? AutoMtlsCertificate.generate() : null;
		Map<String, String> env = PluginProcess.hostEnvironment();
		if (autoMtls) {
			env.put("PLUGIN_CLIENT_CERT", hostCertificate.pem());
		}
		try (PluginProcess plugin = PluginProcess.start(env, "counter")) {
			TlsIdentity tls = autoMtls ? TlsIdentity.autoMtls(hostCertificate, plugin.handshake().certificate()) : null;
			ManagedChannel channel = plugin.channel(tls);
			Adder adder = new Adder();
			SocketDirectory sockets = SocketDirectory.create(plugin.tmpdir().toString(), null);
			Path brokerDirectory = sockets.path();
			try (sockets; GrpcBroker broker = new GrpcBroker("test host", sockets, tls, Duration.ofSeconds(5))) {
				broker.connect(GRPCBrokerGrpc.newStub(channel));
				CounterGrpc.CounterBlockingStub counter = CounterGrpc.newBlockingStub(channel);
				// Like go-plugin's example, every Put gets a fresh id: a broker
				// announcement is claimed once.
				int firstId = 0;
				for (long value : new long[] { 5, 7 }) {
					int id = broker.nextId();
					firstId = (firstId == 0) ? id : firstId;
					broker.acceptAndServe(id, adder);
					counter.withDeadlineAfter(30, TimeUnit.SECONDS)
						.put(CounterPutRequest.newBuilder().setAddServer(id).setKey("c").setValue(value).build());
				}
				assertThat(counter.withDeadlineAfter(30, TimeUnit.SECONDS)
					.get(CounterGetRequest.newBuilder().setKey("c").build())
					.getValue()).isEqualTo(12);
				assertThat(adder.calls).hasValue(2);
				if (!autoMtls) {
					assertClaimedIdCannotBeReused(counter, firstId);
				}
			}
			assertThat(brokerDirectory).doesNotExist();
		}
	}

	static Stream<Arguments> goPeersWithAndWithoutAutoMtls() {
		return InteropPeers.goPeers().flatMap((peer) -> Stream.of(false, true).map((tls) -> Arguments.of(peer, tls)));
	}

	/**
	 * The same exchange with a go-plugin host of each version serving AddHelper through
	 * its own broker: two Puts add through the callback, the total reads back, and a Put
	 * naming an id already claimed fails and adds nothing.
	 */
	@ParameterizedTest(name = "{0}, AutoMTLS {1}")
	@MethodSource("goPeersWithAndWithoutAutoMtls")
	void counterAddsThroughAGoHostsAddHelper(GoPeer peer, boolean autoMtls) {
		List<String> hostArgs = autoMtls ? List.of("-automtls", "-scenario", "counter")
				: List.of("-scenario", "counter");
		String output = GoHost.runPassing(peer, hostArgs, "counter");
		assertThat(output).contains("INFO go-plugin " + peer.version() + " host, AutoMTLS " + autoMtls)
			.contains("PASS put 5 through the broker")
			.contains("PASS put 7 through the broker")
			.contains("PASS get after broker callbacks")
			.contains("PASS a claimed broker id is not served again")
			.contains("PASS kill");
	}

	/**
	 * A second Put naming an id the plugin already dialled waits for a new announcement,
	 * like go-plugin's Dial, and fails after the broker timeout (5 s) with an error
	 * naming the id; nothing is added.
	 */
	private static void assertClaimedIdCannotBeReused(CounterGrpc.CounterBlockingStub counter, int id) {
		StatusRuntimeException error = catchThrowableOfType(StatusRuntimeException.class,
				() -> counter.withDeadlineAfter(30, TimeUnit.SECONDS)
					.put(CounterPutRequest.newBuilder().setAddServer(id).setKey("c").setValue(100).build()));
		assertThat(error).isNotNull();
		assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
		assertThat(error.getStatus().getDescription()).contains("broker id " + id);
		assertThat(counter.withDeadlineAfter(30, TimeUnit.SECONDS)
			.get(CounterGetRequest.newBuilder().setKey("c").build())
			.getValue()).isEqualTo(12);
	}

	/** The host's AddHelper. */
	private static final class Adder extends AddHelperGrpc.AddHelperImplBase {

		final AtomicInteger calls = new AtomicInteger();

		@Override
		public void sum(SumRequest request, StreamObserver<SumResponse> responseObserver) {
			this.calls.incrementAndGet();
			responseObserver.onNext(SumResponse.newBuilder().setR(request.getA() + request.getB()).build());
			responseObserver.onCompleted();
		}

	}

}
