package io.pluginrpc.autoconfigure.host;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.protobuf.services.HealthStatusManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.pluginrpc.core.tls.AutoMtlsCertificate;
import io.pluginrpc.core.tls.TlsIdentity;
import io.pluginrpc.core.transport.Transports;
import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginState;
import io.pluginrpc.host.PluginStartException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * plugins.<name>.tls: explicit mutual TLS from PEM resources replaces AutoMTLS; checked
 * against a real TLS server on a Unix socket (a plugin started by hand, reattached in
 * test mode).
 */
class ExplicitTlsTests {

	@TempDir
	Path dir;

	private final AutoMtlsCertificate host = AutoMtlsCertificate.generate();

	private final AutoMtlsCertificate plugin = AutoMtlsCertificate.generate();

	private Server server;

	private Path socket;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PluginHostAutoConfiguration.class));

	@BeforeEach
	void startPluginServingTlsThatTrustsOnlyTheHost() throws Exception {
		this.socket = this.dir.resolve("plugin.sock");
		HealthStatusManager health = new HealthStatusManager();
		health.setStatus("plugin", ServingStatus.SERVING);
		this.server = Transports
			.serverBuilder(new DomainSocketAddress(this.socket.toString()), new TlsIdentity(this.plugin.certificate(),
					this.plugin.privateKey(), List.of(this.host.certificate())))
			.addService(health.getHealthService())
			.build()
			.start();
		write("host.crt", this.host.pem());
		write("host.key",
				"-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
					.encodeToString(this.host.privateKey().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
		write("plugin.crt", this.plugin.pem());
		write("other.crt", AutoMtlsCertificate.generate().pem());
	}

	@AfterEach
	void stop() {
		this.server.shutdownNow();
	}

	@Test
	void configuringTlsIsEnoughToReplaceAutoMtls() {
		this.runner.withPropertyValues(properties("plugin.crt")).run((context) -> {
			assertThat(context).hasNotFailed();
			PluginClient client = context.getBean(PluginClient.class);
			assertThat(client.getConfig().autoMtls()).isFalse();
			assertThat(client.getConfig().tls().trusted()).containsExactly(this.plugin.certificate());
			assertThat(client.getState()).isEqualTo(PluginState.RUNNING);
			assertThat(client.getTlsMode()).isEqualTo("mtls");
		});
	}

	@Test
	void takesTheHostsIdentityAndTrustFromASpringSslBundle() {
		this.runner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues(reattachedKv())
			.withPropertyValues(
					"spring.ssl.bundle.pem.plugins.keystore.certificate=file:" + this.dir.resolve("host.crt"),
					"spring.ssl.bundle.pem.plugins.keystore.private-key=file:" + this.dir.resolve("host.key"),
					"spring.ssl.bundle.pem.plugins.truststore.certificate=file:" + this.dir.resolve("plugin.crt"),
					"plugins.kv.tls.bundle=plugins")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				PluginClient client = context.getBean(PluginClient.class);
				assertThat(client.getConfig().autoMtls()).isFalse();
				assertThat(client.getConfig().tls().certificate()).isEqualTo(this.host.certificate());
				assertThat(client.getConfig().tls().trusted()).containsExactly(this.plugin.certificate());
				assertThat(client.getState()).isEqualTo(PluginState.RUNNING);
				assertThat(client.getTlsMode()).isEqualTo("mtls");
			});
	}

	@Test
	void anUnknownSslBundleIsAnInvalidProperty() {
		this.runner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues(reattachedKv())
			.withPropertyValues("plugins.kv.tls.bundle=nope")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidPluginConfigurationException.class)
				.hasMessageContaining("plugins.kv.tls.bundle names SSL bundle 'nope', which is not configured"));
	}

	@Test
	void aPluginWithAnotherCertificateIsRefused() {
		this.runner.withPropertyValues(properties("other.crt")).run((context) -> {
			Throwable failure = context.getStartupFailure();
			while (failure != null && !(failure instanceof PluginStartException)) {
				failure = failure.getCause();
			}
			assertThat(failure).as("%s", context.getStartupFailure())
				.isNotNull()
				.hasMessageStartingWith("Plugin 'kv': the health check of service 'plugin' on unix " + this.socket
						+ " failed: UNAVAILABLE");
		});
	}

	@Test
	void aPartialTlsConfigurationNamesTheMissingParts() {
		this.runner.withPropertyValues(properties("plugin.crt"))
			.withPropertyValues("plugins.kv.tls.key=")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining(
						"plugins.kv.tls.key must be set: explicit TLS needs cert, key and trust together (PEM resources)"));
	}

	private String[] reattachedKv() {
		return new String[] { "plugins.kv.handshake.cookie-key=BASIC_PLUGIN", "plugins.kv.handshake.cookie-value=hello",
				"plugins.kv.protocol-versions.1=io.pluginrpc.sample.proto.KVGrpc", "plugins.kv.reattach.network=unix",
				"plugins.kv.reattach.address=" + this.socket, "plugins.kv.reattach.test=true" };
	}

	private String[] properties(String trust) {
		return new String[] { "plugins.kv.handshake.cookie-key=BASIC_PLUGIN", "plugins.kv.handshake.cookie-value=hello",
				"plugins.kv.protocol-versions.1=io.pluginrpc.sample.proto.KVGrpc", "plugins.kv.reattach.network=unix",
				"plugins.kv.reattach.address=" + this.socket, "plugins.kv.reattach.test=true",
				"plugins.kv.tls.cert=file:" + this.dir.resolve("host.crt"),
				"plugins.kv.tls.key=file:" + this.dir.resolve("host.key"),
				"plugins.kv.tls.trust=file:" + this.dir.resolve(trust) };
	}

	private void write(String name, String content) throws Exception {
		Files.writeString(this.dir.resolve(name), content, StandardCharsets.US_ASCII);
	}

}
