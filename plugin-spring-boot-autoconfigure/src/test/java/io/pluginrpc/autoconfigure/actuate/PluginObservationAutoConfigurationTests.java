package io.pluginrpc.autoconfigure.actuate;

import java.nio.file.Path;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.pluginrpc.actuate.PluginMetrics;
import io.pluginrpc.actuate.PluginObservations;
import io.pluginrpc.autoconfigure.host.PluginHostAutoConfiguration;
import io.pluginrpc.core.transport.Transports;
import io.pluginrpc.host.PluginClient;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.GetResponse;
import io.pluginrpc.sample.proto.KVGrpc;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts and calls observed through Micrometer's Observation API, against a plugin that
 * really serves (a server on a Unix socket in this JVM, reattached in test mode), with
 * today's meters beside them.
 */
class PluginObservationAutoConfigurationTests {

	@TempDir
	Path dir;

	private Server server;

	private Path socket;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PluginHostAutoConfiguration.class,
				PluginObservationAutoConfiguration.class, PluginMetricsAutoConfiguration.class))
		.withConfiguration(ActuatorTestSupport.observation())
		.withConfiguration(ActuatorTestSupport.metrics());

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
					response.onNext(GetResponse.newBuilder().setValue(ByteString.copyFromUtf8("v")).build());
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
	void observesStartsAndCallsAndKeepsTodaysMeters() {
		this.runner.withPropertyValues(reattached()).run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(PluginObservations.class)
				.hasSingleBean(PluginMetrics.class);
			context.getBean(KVGrpc.KVBlockingStub.class).get(GetRequest.newBuilder().setKey("a").build());
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("plugin.start").tag("plugin", "kv").tag("outcome", "success").timer().count())
				.isEqualTo(1);
			assertThat(registry.get("grpc.client").tag("plugin", "kv").tag("rpc.method", "Get").timer().count())
				.isEqualTo(1);
			assertThat(registry.get("grpc.client.requests.sent").tag("plugin", "kv").counter().count()).isEqualTo(1);
		});
	}

	@Test
	void observesAFailedStartWithItsReason() {
		this.runner
			.withPropertyValues("plugins.kv.command=/bin/false", "plugins.kv.handshake.cookie-key=BASIC_PLUGIN",
					"plugins.kv.handshake.cookie-value=hello",
					"plugins.kv.protocol-versions.1=io.pluginrpc.sample.proto.KVGrpc", "plugins.kv.fail-fast=false",
					"plugins.kv.restart.enabled=false", "plugins.kv.auto-mtls=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("plugin.start")
					.tag("plugin", "kv")
					.tag("outcome", "failure")
					.tag("reason", "handshake")
					.timer()
					.count()).isEqualTo(1);
				assertThat(registry.get("plugin.start.failures").tag("reason", "handshake").counter().count())
					.isEqualTo(1);
			});
	}

	@Test
	void hostsWithoutMicrometer() {
		new ApplicationContextRunner().withClassLoader(new FilteredClassLoader("io.micrometer."))
			.withConfiguration(AutoConfigurations.of(PluginHostAutoConfiguration.class,
					PluginObservationAutoConfiguration.class, PluginMetricsAutoConfiguration.class))
			.withPropertyValues(reattached())
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean(PluginObservations.class)
					.doesNotHaveBean(PluginMetrics.class)
					.hasSingleBean(PluginClient.class);
				assertThat(context.getBean(KVGrpc.KVBlockingStub.class)
					.get(GetRequest.newBuilder().setKey("a").build())
					.getValue()
					.toStringUtf8()).isEqualTo("v");
			});
	}

	private String[] reattached() {
		return new String[] { "plugins.kv.handshake.cookie-key=BASIC_PLUGIN", "plugins.kv.handshake.cookie-value=hello",
				"plugins.kv.protocol-versions.1=io.pluginrpc.sample.proto.KVGrpc", "plugins.kv.reattach.network=unix",
				"plugins.kv.reattach.address=" + this.socket, "plugins.kv.reattach.test=true" };
	}

}
