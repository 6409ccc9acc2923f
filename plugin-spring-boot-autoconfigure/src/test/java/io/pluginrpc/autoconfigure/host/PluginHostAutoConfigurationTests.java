package io.pluginrpc.autoconfigure.host;

import java.util.concurrent.TimeUnit;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import io.pluginrpc.autoconfigure.PluginDefaultsEnvironmentPostProcessor;
import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginState;
import io.pluginrpc.sample.proto.CounterGrpc;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.KVGrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class PluginHostAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PluginHostAutoConfiguration.class));

	@Test
	void registersNothingWithoutPlugins() {
		this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(PluginClient.class));
	}

	@Test
	void registersAClientAndQualifiedStubsPerPlugin() {
		this.runner.withPropertyValues(kv("kv")).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean("kv")).isInstanceOf(ManagedPluginClient.class);
			PluginClient client = context.getBean(PluginClient.class);
			assertThat(client.getConfig().command()).containsExactly("/bin/false");
			assertThat(client.getConfig().versions()).containsExactly(1);
			assertThat(client.getConfig().autoMtls()).isTrue();
			assertThat(context.getBean("kvKVBlockingStub")).isInstanceOf(KVGrpc.KVBlockingStub.class);
			assertThat(context.getBean("kvKVStub")).isInstanceOf(KVGrpc.KVStub.class);
			assertThat(context.getBean("kvKVFutureStub")).isInstanceOf(KVGrpc.KVFutureStub.class);
			assertThat(context).hasSingleBean(KVGrpc.KVBlockingStub.class);
			assertThat(client.getState()).as("lazy plugins start on first use").isEqualTo(PluginState.STOPPED);
		});
	}

	@Test
	void registersTheStubsOfEveryConfiguredVersion() {
		this.runner.withPropertyValues(kv("kv"))
			.withPropertyValues(
					"plugins.kv.protocol-versions.2=io.pluginrpc.sample.proto.KVGrpc,io.pluginrpc.sample.proto.CounterGrpc")
			.run((context) -> {
				assertThat(context).hasSingleBean(CounterGrpc.CounterBlockingStub.class)
					.hasSingleBean(KVGrpc.KVBlockingStub.class);
				assertThat(context.getBean(PluginClient.class).getConfig().versions()).containsExactlyInAnyOrder(1, 2);
			});
	}

	@Test
	void needsAQualifierWhenTwoPluginsOfferTheSameService() {
		this.runner.withPropertyValues(kv("left"))
			.withPropertyValues(kv("right"))
			.withUserConfiguration(TwoConsumers.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				TwoConsumers consumers = context.getBean(TwoConsumers.class);
				assertThat(consumers.left).isSameAs(context.getBean("leftKVBlockingStub"));
				assertThat(consumers.right).isSameAs(context.getBean("rightKVBlockingStub"));
				assertThatExceptionOfType(NoUniqueBeanDefinitionException.class)
					.isThrownBy(() -> context.getBean(KVGrpc.KVBlockingStub.class));
			});
	}

	@Test
	void aLazyPluginStartsOnItsFirstCallAndReportsWhyItCannot() {
		this.runner.withPropertyValues(kv("kv")).run((context) -> {
			KVGrpc.KVBlockingStub kv = context.getBean(KVGrpc.KVBlockingStub.class);
			assertThatExceptionOfType(StatusRuntimeException.class)
				.isThrownBy(() -> kv.withDeadlineAfter(30, TimeUnit.SECONDS).get(GetRequest.getDefaultInstance()))
				.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE))
				.withMessageContaining(
						"Plugin 'kv' is not connected (state FAILED: Plugin 'kv': the plugin exited with status 1"
								+ " before printing a handshake line")
				.withMessageContaining("cannot call proto.KV/Get");
			assertThat(context.getBean(PluginClient.class).getState()).isEqualTo(PluginState.FAILED);
		});
	}

	@Test
	void bindsReattachmentWithoutACommandAndWithoutAutoMtls() {
		this.runner.withPropertyValues("plugins.kv.lazy=true", "plugins.kv.handshake.cookie-key=BASIC_PLUGIN",
				"plugins.kv.handshake.cookie-value=hello",
				"plugins.kv.protocol-versions.2=io.pluginrpc.sample.proto.KVGrpc", "plugins.kv.reattach.network=tcp",
				"plugins.kv.reattach.address=127.0.0.1:10000", "plugins.kv.reattach.pid=42",
				"plugins.kv.reattach.protocol-version=2", "plugins.kv.reattach.test=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				PluginClient client = context.getBean(PluginClient.class);
				assertThat(client.getConfig().reattach())
					.isEqualTo(new io.pluginrpc.host.ReattachConfig("tcp", "127.0.0.1:10000", 42, 2, true));
				assertThat(client.getConfig().autoMtls()).as("AutoMTLS keys live for one launch").isFalse();
			});
		this.runner.withPropertyValues(kv("kv"))
			.withPropertyValues("plugins.kv.reattach.network=udp", "plugins.kv.reattach.address=/x")
			.run((context) -> assertThat(context).getFailure()
				.isInstanceOf(BindException.class)
				.satisfies((ex) -> assertThat(((BindException) ex).getProperty().getName())
					.hasToString("plugins.kv.reattach.network"))
				.satisfies((ex) -> assertThat(((BindException) ex).getProperty().getValue()).isEqualTo("udp")));
	}

	@Test
	void bindsGrpcBrokerMultiplexOffByDefaultAndRefusesItWithReattach() {
		this.runner.withPropertyValues(kv("kv"))
			.run((context) -> assertThat(context.getBean(PluginClient.class).getConfig().grpcBrokerMultiplex())
				.isFalse());
		this.runner.withPropertyValues(kv("kv"))
			.withPropertyValues("plugins.kv.grpc-broker-multiplex=true")
			.run((context) -> assertThat(context.getBean(PluginClient.class).getConfig().grpcBrokerMultiplex())
				.isTrue());
		this.runner.withPropertyValues("plugins.kv.lazy=true", "plugins.kv.handshake.cookie-key=BASIC_PLUGIN",
				"plugins.kv.handshake.cookie-value=hello",
				"plugins.kv.protocol-versions.1=io.pluginrpc.sample.proto.KVGrpc", "plugins.kv.reattach.network=tcp",
				"plugins.kv.reattach.address=127.0.0.1:10000", "plugins.kv.grpc-broker-multiplex=true")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("plugins.kv.grpc-broker-multiplex cannot be used with reattach"));
	}

	@Test
	void bindsTheSocketDirectoryAndRejectsAMissingOne() {
		this.runner.withPropertyValues(kv("kv"))
			.withPropertyValues("plugins.kv.socket-directory=/tmp")
			.run((context) -> assertThat(context.getBean(PluginClient.class).getConfig().socketDirectory())
				.isEqualTo(java.nio.file.Path.of("/tmp")));
		this.runner.withPropertyValues(kv("kv"))
			.run((context) -> assertThat(context.getBean(PluginClient.class).getConfig().socketDirectory()).isNull());
		this.runner.withPropertyValues(kv("kv"))
			.withPropertyValues("plugins.kv.socket-directory=.")
			.run((context) -> assertThat(context.getBean(PluginClient.class).getConfig().socketDirectory())
				.as("the plugin may run in another working directory")
				.isEqualTo(java.nio.file.Path.of(".").toAbsolutePath()));
		assertInvalid(String.join(",", kv("kv")) + ",plugins.kv.socket-directory=/no/such/dir",
				"plugins.kv.socket-directory must be an existing directory, but /no/such/dir is not");
	}

	@Test
	void reportsAnEmptyCommandWithThePropertyName() {
		assertInvalid("plugins.kv.handshake.cookie-key=BASIC_PLUGIN",
				"Invalid configuration of plugin 'kv': plugins.kv.command must name the plugin's executable and arguments");
	}

	@Test
	void reportsAMissingCookie() {
		assertInvalid("plugins.kv.command=/bin/false",
				"plugins.kv.handshake.cookie-key must be set: go-plugin's magic cookie needs cookie-key and cookie-value");
	}

	@Test
	void reportsMissingProtocolVersions() {
		assertInvalid(
				"plugins.kv.command=/bin/false,plugins.kv.handshake.cookie-key=K,plugins.kv.handshake.cookie-value=V",
				"plugins.kv.protocol-versions must list at least one version");
	}

	@Test
	void reportsAnUnknownServiceClass() {
		assertInvalid(
				String.join(",", "plugins.kv.command=/bin/false", "plugins.kv.handshake.cookie-key=K",
						"plugins.kv.handshake.cookie-value=V", "plugins.kv.protocol-versions.1=com.example.NoSuchGrpc"),
				"plugins.kv.protocol-versions.1 names class 'com.example.NoSuchGrpc', which is not on the classpath");
	}

	@Test
	void reportsAClassThatIsNotAGrpcClass() {
		assertInvalid(
				String.join(",", "plugins.kv.command=/bin/false", "plugins.kv.handshake.cookie-key=K",
						"plugins.kv.handshake.cookie-value=V", "plugins.kv.protocol-versions.1=java.lang.String"),
				"names 'java.lang.String', which is not a generated *Grpc class");
	}

	@Test
	void reportsABadPortRangeAndChecksum() {
		this.runner.withPropertyValues(kv("kv"))
			.withPropertyValues("plugins.kv.transport.min-port=30000")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining(
						"plugins.kv.transport.min-port must satisfy 0 <= min-port <= max-port <= 65535, but got min-port 30000 and max-port 25000"));
		this.runner.withPropertyValues(kv("kv"))
			.withPropertyValues("plugins.kv.checksum=9f86d0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("plugins.kv.checksum must be 'algorithm:hex'"));
	}

	@Test
	void touchesNoGrpcServerIntegrationOfAHost() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("test", java.util.Map.of("plugins.kv.command", "/bin/false")));
		new PluginDefaultsEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty(io.pluginrpc.autoconfigure.SpringBootLine.GRPC_SERVER_OFF_PROPERTY))
			.as("a host's own gRPC server is its business")
			.isNull();
		assertThat(environment.getProperty("logging.level.io.grpc.netty.shaded.io.netty.bootstrap")).isEqualTo("error");
	}

	private void assertInvalid(String properties, String message) {
		this.runner.withPropertyValues(properties.split(",")).run((context) -> {
			Throwable failure = context.getStartupFailure();
			while (failure != null && !(failure instanceof InvalidPluginConfigurationException)) {
				failure = failure.getCause();
			}
			assertThat(failure).as("an InvalidPluginConfigurationException in %s", context.getStartupFailure())
				.isNotNull()
				.hasMessageContaining(message);
		});
	}

	private static String[] kv(String name) {
		return new String[] { "plugins." + name + ".command=/bin/false", "plugins." + name + ".lazy=true",
				"plugins." + name + ".handshake.cookie-key=BASIC_PLUGIN",
				"plugins." + name + ".handshake.cookie-value=hello",
				"plugins." + name + ".protocol-versions.1=io.pluginrpc.sample.proto.KVGrpc" };
	}

	@Configuration(proxyBeanMethods = false)
	static class TwoConsumers {

		KVGrpc.KVBlockingStub left;

		KVGrpc.KVBlockingStub right;

		@Bean
		Object consumers(@Qualifier("left") KVGrpc.KVBlockingStub left,
				@Qualifier("right") KVGrpc.KVBlockingStub right) {
			this.left = left;
			this.right = right;
			return new Object();
		}

	}

}
