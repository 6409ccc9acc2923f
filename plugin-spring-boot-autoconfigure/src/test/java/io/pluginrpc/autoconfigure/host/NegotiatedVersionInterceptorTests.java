package io.pluginrpc.autoconfigure.host;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import com.google.protobuf.ByteString;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.pluginrpc.sample.proto.CounterGetRequest;
import io.pluginrpc.sample.proto.CounterGrpc;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.GetResponse;
import io.pluginrpc.sample.proto.KVGrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Stubs of services outside the negotiated version fail with a message naming plugin and
 * versions.
 */
class NegotiatedVersionInterceptorTests {

	private final AtomicReference<Integer> negotiated = new AtomicReference<>();

	private Server server;

	private ManagedChannel plugin;

	private Channel channel;

	@BeforeEach
	void servePluginThatServesKvOnly() throws Exception {
		String name = InProcessServerBuilder.generateName();
		this.server = InProcessServerBuilder.forName(name).addService(new KVGrpc.KVImplBase() {
			@Override
			public void get(GetRequest request, StreamObserver<GetResponse> response) {
				response.onNext(GetResponse.newBuilder()
					.setValue(ByteString.copyFromUtf8("value of " + request.getKey()))
					.build());
				response.onCompleted();
			}
		}).build().start();
		this.plugin = InProcessChannelBuilder.forName(name).build();
		this.channel = ClientInterceptors.intercept(this.plugin, new NegotiatedVersionInterceptor("kv",
				Map.of(1, Set.of(KVGrpc.SERVICE_NAME), 2, Set.of(KVGrpc.SERVICE_NAME, CounterGrpc.SERVICE_NAME)),
				this.negotiated::get));
	}

	@AfterEach
	void close() {
		this.plugin.shutdownNow();
		this.server.shutdownNow();
	}

	@Test
	void aServiceOfTheNegotiatedVersionIsCalled() {
		this.negotiated.set(1);
		assertThat(KVGrpc.newBlockingStub(this.channel)
			.get(GetRequest.newBuilder().setKey("k").build())
			.getValue()
			.toStringUtf8()).as("the plugin's answer").isEqualTo("value of k");
	}

	@Test
	void aServiceOnlyInAnotherVersionFailsNamingPluginAndVersions() {
		this.negotiated.set(1);
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> CounterGrpc.newBlockingStub(this.channel).get(CounterGetRequest.newBuilder().build()))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION))
			.withMessage(
					"FAILED_PRECONDITION: Plugin 'kv' negotiated protocol version 1, which does not include service"
							+ " proto.Counter (configured for version [2] in plugins.kv.protocol-versions); cannot call proto.Counter/Get");
	}

	@Test
	void callsPassThroughWhileNotConnectedOrForServicesNotConfigured() {
		this.negotiated.set(null);
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> CounterGrpc.newBlockingStub(this.channel).get(CounterGetRequest.newBuilder().build()))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).as("the plugin's own answer")
				.isEqualTo(Status.Code.UNIMPLEMENTED));
		this.negotiated.set(3);
		assertThat(KVGrpc.newBlockingStub(this.channel)
			.get(GetRequest.newBuilder().setKey("k").build())
			.getValue()
			.toStringUtf8()).as("the plugin's answer").isEqualTo("value of k");
	}

}
