package io.pluginrpc.autoconfigure.plugin;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerServicesAutoConfiguration;
import org.springframework.boot.grpc.server.autoconfigure.health.GrpcServerHealthAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.server.GlobalServerInterceptor;

import io.pluginrpc.actuate.PluginServerHealthBridge;
import io.pluginrpc.autoconfigure.grpc.springgrpc.SpringGrpcPluginServerAutoConfiguration;
import io.pluginrpc.autoconfigure.plugin.PluginServiceFixtures.Services;
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

/**
 * The plugin side on Spring Boot 4.1's gRPC server support: Boot's own server stays
 * closed, the plugin's server serves the {@code @PluginService} beans through Boot's
 * global interceptors and Boot's other services (health, reflection, plain
 * {@code BindableService} beans) in every version, and Actuator health drives the
 * {@code plugin} health status.
 */
class SpringGrpcPluginServerAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(GrpcServerServicesAutoConfiguration.class,
				GrpcServerAutoConfiguration.class, GrpcServerHealthAutoConfiguration.class,
				SpringGrpcPluginServerAutoConfiguration.class, PluginServerAutoConfiguration.class))
		// What plugin mode sets (PluginModeEnvironmentPostProcessor); the runner has no
		// environment post-processors.
		.withPropertyValues("spring.grpc.server.factory.enabled=false", "plugin-server.parent-watchdog=false",
				"plugin-server.redirect-stdio=false");

	private final List<String> handshakes = new CopyOnWriteArrayList<>();

	@Test
	void servesPluginServicesAndBootsServicesOnThePluginSocketWithBootsServerClosed() {
		pluginRunner().run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(PluginServerContributor.class);
			assertThat(context).as("Boot's server factory is off").doesNotHaveBean("grpcServerLifecycle");
			assertThat(portOpen(9090)).as("nothing listens on Boot's default port").isFalse();
			HandshakeLine handshake = HandshakeLine.parse("test", this.handshakes.get(0), Set.of(1, 2));
			assertThat(handshake.appVersion()).isEqualTo(1);
			assertThat(handshake.network()).isEqualTo("unix");
			withChannel((channel) -> {
				KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
				kv.put(PutRequest.newBuilder().setKey("k").setValue(ByteString.copyFromUtf8("v")).build());
				assertThat(kv.get(GetRequest.newBuilder().setKey("k").build()).getValue().toStringUtf8())
					.isEqualTo("v");
				assertThat(HealthGrpc.newBlockingStub(channel)
					.withDeadlineAfter(10, TimeUnit.SECONDS)
					.check(HealthCheckRequest.newBuilder().setService("plugin").build())
					.getStatus()).isEqualTo(ServingStatus.SERVING);
				assertThat(reflectedServices(channel)).contains("proto.KV", "grpc.health.v1.Health",
						"plugin.GRPCController", "plugin.GRPCBroker");
				assertThatExceptionOfType(StatusRuntimeException.class)
					.isThrownBy(() -> CounterGrpc.newBlockingStub(channel)
						.withDeadlineAfter(10, TimeUnit.SECONDS)
						.get(CounterGetRequest.getDefaultInstance()))
					.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
			});
		});
	}

	@Test
	void theHealthStatusManagerIsBootsOne() {
		pluginRunner().run((context) -> {
			assertThat(context).hasNotFailed().hasBean("grpcServerHealthStatusManager");
			io.grpc.protobuf.services.HealthStatusManager boots = context
				.getBean(io.grpc.protobuf.services.HealthStatusManager.class);
			context.getBean(PluginServer.class).setServing(false);
			withChannel((channel) -> assertThat(HealthGrpc.newBlockingStub(channel)
				.withDeadlineAfter(10, TimeUnit.SECONDS)
				.check(HealthCheckRequest.newBuilder().setService("plugin").build())
				.getStatus()).isEqualTo(ServingStatus.NOT_SERVING));
			assertThat(boots).isNotNull();
		});
	}

	@Test
	void globalInterceptorsApplyToPluginServicesAndPlainServicesAreServedInEveryVersion() {
		pluginRunner().withUserConfiguration(SpringGrpcExtras.class).run((context) -> {
			assertThat(context).hasNotFailed();
			withChannel((channel) -> {
				KVGrpc.newBlockingStub(channel)
					.withDeadlineAfter(10, TimeUnit.SECONDS)
					.get(GetRequest.newBuilder().setKey("k").build());
				assertThat(context.getBean(SpringGrpcExtras.class).calls).contains("proto.KV/Get");
				assertThat(CounterGrpc.newBlockingStub(channel)
					.withDeadlineAfter(10, TimeUnit.SECONDS)
					.get(CounterGetRequest.getDefaultInstance())
					.getValue()).as("a plain BindableService bean is served in every version").isEqualTo(7);
				assertThat(context.getBean(SpringGrpcExtras.class).calls).as("and through the global interceptors")
					.contains("proto.Counter/Get");
			});
		});
	}

	@Test
	void theApplicationsActuatorHealthDrivesThePluginHealthService() {
		pluginRunner().withConfiguration(AutoConfigurations.of(
				org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration.class,
				org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration.class,
				org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration.class,
				org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=health",
					"spring.grpc.server.health.services.validate-membership=false")
			.withBean("database", HealthIndicator.class,
					() -> () -> Health.down().withDetail("reason", "no database").build())
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(PluginServerHealthBridge.class);
				context.getBean(PluginServerHealthBridge.class).update();
				withChannel((channel) -> assertThat(HealthGrpc.newBlockingStub(channel)
					.withDeadlineAfter(10, TimeUnit.SECONDS)
					.check(HealthCheckRequest.newBuilder().setService("plugin").build())
					.getStatus()).isEqualTo(ServingStatus.NOT_SERVING));
			});
	}

	@Test
	void servesPluginServicesWithoutSpringGrpcAndWithoutActuator() {
		// Boot 4.0 has no gRPC starter: the plugin serves its @PluginService beans alone,
		// as here.
		new ApplicationContextRunner()
			.withClassLoader(new FilteredClassLoader("org.springframework.grpc.", "org.springframework.boot.grpc.",
					"org.springframework.boot.actuate.", "org.springframework.boot.health."))
			.withConfiguration(AutoConfigurations.of(SpringGrpcPluginServerAutoConfiguration.class,
					PluginServerAutoConfiguration.class))
			.withPropertyValues("plugin-server.parent-watchdog=false", "plugin-server.redirect-stdio=false")
			.withUserConfiguration(Services.class)
			.withBean(PluginHandshakeOutput.class, () -> this.handshakes::add)
			.withBean(PluginExit.class, () -> () -> {
				throw new AssertionError("the plugin must not exit in this test");
			})
			.withPropertyValues("plugin-server.magic-cookie-key=BASIC_PLUGIN", "plugin-server.magic-cookie-value=hello")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean(PluginServerContributor.class)
					.doesNotHaveBean(PluginServerHealthBridge.class);
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

	private static boolean portOpen(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
			return true;
		}
		catch (java.io.IOException ex) {
			return false;
		}
	}

	private static List<String> reflectedServices(ManagedChannel channel) {
		List<String> names = new CopyOnWriteArrayList<>();
		java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
		StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
			.withDeadlineAfter(10, TimeUnit.SECONDS)
			.serverReflectionInfo(new StreamObserver<>() {
				@Override
				public void onNext(ServerReflectionResponse response) {
					response.getListServicesResponse().getServiceList().forEach((s) -> names.add(s.getName()));
				}

				@Override
				public void onError(Throwable ex) {
					done.countDown();
				}

				@Override
				public void onCompleted() {
					done.countDown();
				}
			});
		requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
		requests.onCompleted();
		try {
			assertThat(done.await(30, TimeUnit.SECONDS)).as("reflection answered").isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return names;
	}

	private void withChannel(Consumer<ManagedChannel> calls) throws Exception {
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
			.withPropertyValues("plugin-server.magic-cookie-key=BASIC_PLUGIN",
					"plugin-server.magic-cookie-value=hello");
	}

	@Configuration(proxyBeanMethods = false)
	static class SpringGrpcExtras {

		final List<String> calls = new CopyOnWriteArrayList<>();

		@Bean
		@GlobalServerInterceptor
		ServerInterceptor recordingInterceptor() {
			return new ServerInterceptor() {
				@Override
				public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
						ServerCallHandler<Q, R> next) {
					SpringGrpcExtras.this.calls.add(call.getMethodDescriptor().getFullMethodName());
					return next.startCall(call, headers);
				}
			};
		}

		@Bean
		PlainCounter plainCounter() {
			return new PlainCounter();
		}

	}

	/** Not a plugin service: a plain gRPC service bean, served in every version. */
	static class PlainCounter extends CounterGrpc.CounterImplBase {

		@Override
		public void get(CounterGetRequest request, StreamObserver<CounterGetResponse> responseObserver) {
			responseObserver.onNext(CounterGetResponse.newBuilder().setValue(7).build());
			responseObserver.onCompleted();
		}

	}

}
