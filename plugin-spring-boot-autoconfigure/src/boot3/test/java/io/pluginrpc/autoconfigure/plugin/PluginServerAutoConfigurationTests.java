package io.pluginrpc.autoconfigure.plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.stub.StreamObserver;
import net.devh.boot.grpc.server.autoconfigure.GrpcHealthServiceAutoConfiguration;
import net.devh.boot.grpc.server.autoconfigure.GrpcReflectionServiceAutoConfiguration;
import net.devh.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration;
import net.devh.boot.grpc.server.interceptor.GrpcGlobalServerInterceptor;
import net.devh.boot.grpc.server.service.GrpcService;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.pluginrpc.autoconfigure.grpc.netdevh.NetDevhPluginServerAutoConfiguration;
import io.pluginrpc.autoconfigure.plugin.PluginServiceFixtures.NotAService;
import io.pluginrpc.autoconfigure.plugin.PluginServiceFixtures.Services;
import io.pluginrpc.core.broker.PluginBroker;
import io.pluginrpc.core.handshake.HandshakeLine;
import io.pluginrpc.core.transport.Transports;
import io.pluginrpc.plugin.PluginServer;
import io.pluginrpc.sample.proto.CounterGetRequest;
import io.pluginrpc.sample.proto.CounterGetResponse;
import io.pluginrpc.sample.proto.CounterGrpc;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.KVGrpc;
import io.pluginrpc.sample.proto.PutRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class PluginServerAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(GrpcServerAutoConfiguration.class,
				GrpcHealthServiceAutoConfiguration.class, GrpcReflectionServiceAutoConfiguration.class,
				NetDevhPluginServerAutoConfiguration.class, PluginServerAutoConfiguration.class))
		.withPropertyValues("grpc.server.port=-1", "plugin-server.parent-watchdog=false", "plugin-server.redirect-stdio=false");

	private final List<String> handshakes = new CopyOnWriteArrayList<>();

	@Test
	void backsOffWithoutAMagicCookieKey() {
		this.runner.withUserConfiguration(Services.class)
			.run((context) -> assertThat(context).doesNotHaveBean(PluginServer.class)
				.doesNotHaveBean(PluginServerLifecycle.class));
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withUserConfiguration(Services.class)
			.withPropertyValues("plugin-server.magic-cookie-key=BASIC_PLUGIN", "plugin-server.magic-cookie-value=hello",
					"plugin-server.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(PluginServer.class));
	}

	@Test
	void servesTheLowestVersionsServicesWhenTheHostOffersNoneAndCleansUpOnClose() throws Exception {
		Path[] directory = new Path[1];
		pluginRunner().run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(PluginBroker.class);
			assertThat(this.handshakes).hasSize(1);
			HandshakeLine handshake = HandshakeLine.parse("test", this.handshakes.get(0), Set.of(1, 2));
			assertThat(handshake.appVersion()).isEqualTo(1);
			assertThat(handshake.network()).isEqualTo("unix");
			assertThat(handshake.serverCertificate()).isNull();
			Path socket = Path.of(handshake.address());
			directory[0] = socket.getParent();
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory[0]))).isEqualTo("rwx------");
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
			ManagedChannel channel = Transports
				.channelBuilder(Transports.socketAddress(handshake.network(), handshake.address()), null)
				.build();
			try {
				KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
				kv.put(PutRequest.newBuilder().setKey("k").setValue(ByteString.copyFromUtf8("v")).build());
				assertThat(kv.get(GetRequest.newBuilder().setKey("k").build()).getValue().toStringUtf8()).isEqualTo("v");
				assertThat(HealthGrpc.newBlockingStub(channel)
					.check(HealthCheckRequest.newBuilder().setService("plugin").build())
					.getStatus()).isEqualTo(ServingStatus.SERVING);
				assertThatExceptionOfType(StatusRuntimeException.class)
					.isThrownBy(() -> CounterGrpc.newBlockingStub(channel)
						.withDeadlineAfter(10, TimeUnit.SECONDS)
						.get(CounterGetRequest.getDefaultInstance()))
					.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
			}
			finally {
				channel.shutdownNow();
			}
		});
		assertThat(directory[0]).doesNotExist();
	}

	@Test
	void theApplicationsActuatorHealthDrivesThePluginHealthService() {
		pluginRunner()
			.withConfiguration(AutoConfigurations.of(
					org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration.class,
					org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration.class,
					org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=health")
			.withBean("database", org.springframework.boot.actuate.health.HealthIndicator.class,
					() -> () -> org.springframework.boot.actuate.health.Health.down().withDetail("reason", "no database").build())
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(io.pluginrpc.actuate.PluginServerHealthBridge.class);
				context.getBean(io.pluginrpc.actuate.PluginServerHealthBridge.class).update();
				HandshakeLine handshake = HandshakeLine.parse("test", this.handshakes.get(0), Set.of(1));
				ManagedChannel channel = Transports
					.channelBuilder(Transports.socketAddress(handshake.network(), handshake.address()), null)
					.build();
				try {
					assertThat(HealthGrpc.newBlockingStub(channel)
						.withDeadlineAfter(10, TimeUnit.SECONDS)
						.check(HealthCheckRequest.newBuilder().setService("plugin").build())
						.getStatus()).isEqualTo(ServingStatus.NOT_SERVING);
				}
				finally {
					channel.shutdownNow();
				}
			});
	}

	@Test
	void failsClearlyWithoutAnyPluginService() {
		this.runner.withBean(PluginHandshakeOutput.class, () -> this.handshakes::add)
			.withPropertyValues("plugin-server.magic-cookie-key=BASIC_PLUGIN", "plugin-server.magic-cookie-value=hello")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("no @PluginService bean to serve");
				assertThat(this.handshakes).isEmpty();
			});
	}

	@Test
	void failsClearlyForAPluginServiceThatIsNotAGrpcService() {
		this.runner.withBean(PluginHandshakeOutput.class, () -> this.handshakes::add)
			.withBean("notAService", NotAService.class, NotAService::new)
			.withPropertyValues("plugin-server.magic-cookie-key=BASIC_PLUGIN", "plugin-server.magic-cookie-value=hello")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("Bean 'notAService' is annotated with @PluginService, but its type")
					.hasMessageContaining("is not a gRPC service implementation (io.grpc.BindableService");
				assertThat(this.handshakes).isEmpty();
			});
	}

	@Test
	void servesOverLoopbackTcpWhenConfigured() {
		pluginRunner().withPropertyValues("plugin-server.network=tcp").run((context) -> {
			HandshakeLine handshake = HandshakeLine.parse("test", this.handshakes.get(0), Set.of(1));
			assertThat(handshake.network()).isEqualTo("tcp");
			assertThat(handshake.address()).startsWith("127.0.0.1:");
		});
	}

	@Test
	void servesPluginServicesWithoutNetDevhAndWithoutActuator() {
		new ApplicationContextRunner().withClassLoader(new FilteredClassLoader("net.devh.", "org.springframework.boot.actuate."))
			.withConfiguration(AutoConfigurations.of(NetDevhPluginServerAutoConfiguration.class,
					PluginServerAutoConfiguration.class))
			.withPropertyValues("plugin-server.parent-watchdog=false", "plugin-server.redirect-stdio=false")
			.withUserConfiguration(Services.class)
			.withBean(PluginHandshakeOutput.class, () -> this.handshakes::add)
			.withBean(PluginExit.class, () -> () -> {
				throw new AssertionError("the plugin must not exit in this test");
			})
			.withPropertyValues("plugin-server.magic-cookie-key=BASIC_PLUGIN", "plugin-server.magic-cookie-value=hello")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(PluginServerContributor.class)
					.doesNotHaveBean(io.pluginrpc.actuate.PluginServerHealthBridge.class);
				withChannel((channel) -> {
					KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
					kv.put(PutRequest.newBuilder().setKey("k").setValue(ByteString.copyFromUtf8("v")).build());
					assertThat(kv.get(GetRequest.newBuilder().setKey("k").build()).getValue().toStringUtf8())
						.isEqualTo("v");
					assertThat(HealthGrpc.newBlockingStub(channel)
						.withDeadlineAfter(10, TimeUnit.SECONDS)
						.check(HealthCheckRequest.newBuilder().setService("plugin").build())
						.getStatus()).isEqualTo(ServingStatus.SERVING);
				});
			});
	}

	@Test
	void netDevhsGlobalInterceptorsApplyToPluginServicesAndItsGrpcServicesAreServed() {
		pluginRunner().withUserConfiguration(NetDevhExtras.class).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(PluginServerContributor.class);
			withChannel((channel) -> {
				KVGrpc.newBlockingStub(channel)
					.withDeadlineAfter(10, TimeUnit.SECONDS)
					.get(GetRequest.newBuilder().setKey("k").build());
				assertThat(context.getBean(NetDevhExtras.class).calls).contains("proto.KV/Get");
				assertThat(CounterGrpc.newBlockingStub(channel)
					.withDeadlineAfter(10, TimeUnit.SECONDS)
					.get(CounterGetRequest.getDefaultInstance())
					.getValue()).as("a plain @GrpcService is served in every version").isEqualTo(7);
			});
		});
	}

	private void withChannel(java.util.function.Consumer<ManagedChannel> calls) throws Exception {
		HandshakeLine handshake = HandshakeLine.parse("test", this.handshakes.get(0), Set.of(1, 2));
		ManagedChannel channel = Transports
			.channelBuilder(Transports.socketAddress(handshake.network(), handshake.address()), null)
			.build();
		try {
			calls.accept(channel);
		}
		finally {
			channel.shutdownNow();
		}
	}

	private ApplicationContextRunner pluginRunner() {
		return this.runner.withUserConfiguration(Services.class)
			.withBean(PluginHandshakeOutput.class, () -> this.handshakes::add)
			.withBean(PluginExit.class, () -> () -> {
				throw new AssertionError("the plugin must not exit in this test");
			})
			.withPropertyValues("plugin-server.magic-cookie-key=BASIC_PLUGIN", "plugin-server.magic-cookie-value=hello");
	}

	@Configuration(proxyBeanMethods = false)
	static class NetDevhExtras {

		final List<String> calls = new CopyOnWriteArrayList<>();

		@GrpcGlobalServerInterceptor
		ServerInterceptor recordingInterceptor() {
			return new ServerInterceptor() {
				@Override
				public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
						ServerCallHandler<Q, R> next) {
					NetDevhExtras.this.calls.add(call.getMethodDescriptor().getFullMethodName());
					return next.startCall(call, headers);
				}
			};
		}

		@Bean
		PlainCounter plainCounter() {
			return new PlainCounter();
		}

	}

	/** Not a plugin service: a net.devh service, served in every version. */
	@GrpcService
	static class PlainCounter extends CounterGrpc.CounterImplBase {

		@Override
		public void get(CounterGetRequest request, StreamObserver<CounterGetResponse> responseObserver) {
			responseObserver.onNext(CounterGetResponse.newBuilder().setValue(7).build());
			responseObserver.onCompleted();
		}

	}

}
