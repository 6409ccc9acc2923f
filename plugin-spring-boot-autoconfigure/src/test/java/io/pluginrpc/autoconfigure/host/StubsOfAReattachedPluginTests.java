package io.pluginrpc.autoconfigure.host;

import java.nio.file.Path;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.pluginrpc.core.transport.Transports;
import io.pluginrpc.sample.proto.CounterGetRequest;
import io.pluginrpc.sample.proto.CounterGrpc;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.GetResponse;
import io.pluginrpc.sample.proto.KVGrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The stub beans against a plugin that really serves (a server on a Unix socket in this
 * JVM, reattached in test mode): a stub of the negotiated version calls the plugin, a
 * stub of a service only another configured version includes fails with
 * FAILED_PRECONDITION naming the plugin.
 */
class StubsOfAReattachedPluginTests {

	@TempDir
	Path dir;

	private Server server;

	private Path socket;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PluginHostAutoConfiguration.class));

	@BeforeEach
	void startPluginServingKv() throws Exception {
		this.socket = this.dir.resolve("plugin.sock");
		HealthStatusManager health = new HealthStatusManager();
		health.setStatus("plugin", ServingStatus.SERVING);
		this.server = Transports.serverBuilder(new DomainSocketAddress(this.socket.toString()), null)
			.addService(health.getHealthService())
			.addService(new KVGrpc.KVImplBase() {
				@Override
				public void get(GetRequest request, StreamObserver<GetResponse> response) {
					response.onNext(GetResponse.newBuilder()
						.setValue(ByteString.copyFromUtf8("v-" + request.getKey()))
						.build());
					response.onCompleted();
				}
			})
			.build()
			.start();
	}

	@AfterEach
	void stop() {
		this.server.shutdownNow();
	}

	@Test
	void stubsOfTheNegotiatedVersionCallThePluginOthersFailNamingIt() {
		this.runner.withPropertyValues("plugins.kv.handshake.cookie-key=BASIC_PLUGIN",
				"plugins.kv.handshake.cookie-value=hello",
				"plugins.kv.protocol-versions.1=io.pluginrpc.sample.proto.KVGrpc",
				"plugins.kv.protocol-versions.2=io.pluginrpc.sample.proto.KVGrpc,io.pluginrpc.sample.proto.CounterGrpc",
				"plugins.kv.reattach.network=unix", "plugins.kv.reattach.address=" + this.socket,
				"plugins.kv.reattach.protocol-version=1", "plugins.kv.reattach.test=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(KVGrpc.KVBlockingStub.class)
					.get(GetRequest.newBuilder().setKey("a").build())
					.getValue()
					.toStringUtf8()).isEqualTo("v-a");
				assertThatExceptionOfType(StatusRuntimeException.class)
					.isThrownBy(() -> context.getBean(CounterGrpc.CounterBlockingStub.class)
						.get(CounterGetRequest.getDefaultInstance()))
					.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION))
					.withMessageContaining(
							"Plugin 'kv' negotiated protocol version 1, which does not include service proto.Counter");
			});
	}

}
