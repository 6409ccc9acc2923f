package io.pluginrpc.sample.plugin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.pluginrpc.core.broker.GrpcBroker;
import io.pluginrpc.core.tls.AutoMtlsCertificate;
import io.pluginrpc.core.tls.TlsIdentity;
import io.pluginrpc.core.transport.SocketDirectory;
import io.pluginrpc.proto.plugin.GRPCBrokerGrpc;
import io.pluginrpc.sample.proto.AddHelperGrpc;
import io.pluginrpc.sample.proto.CounterGetRequest;
import io.pluginrpc.sample.proto.CounterGrpc;
import io.pluginrpc.sample.proto.CounterPutRequest;
import io.pluginrpc.sample.proto.SumRequest;
import io.pluginrpc.sample.proto.SumResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * go-plugin's bidirectional Counter example: the test, as host, serves AddHelper through its own broker
 * and the plugin dials it back for every Put, with and without AutoMTLS.
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
				// Like go-plugin's example, every Put gets a fresh id: a broker announcement is claimed once.
				for (long value : new long[] { 5, 7 }) {
					int id = broker.nextId();
					broker.acceptAndServe(id, adder);
					counter.withDeadlineAfter(30, TimeUnit.SECONDS)
						.put(CounterPutRequest.newBuilder().setAddServer(id).setKey("c").setValue(value).build());
				}
				assertThat(counter.withDeadlineAfter(30, TimeUnit.SECONDS)
					.get(CounterGetRequest.newBuilder().setKey("c").build())
					.getValue()).isEqualTo(12);
				assertThat(adder.calls).hasValue(2);
			}
			assertThat(brokerDirectory).doesNotExist();
		}
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
