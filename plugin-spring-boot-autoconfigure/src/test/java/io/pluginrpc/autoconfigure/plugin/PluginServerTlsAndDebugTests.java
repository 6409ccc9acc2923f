package io.pluginrpc.autoconfigure.plugin;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.pluginrpc.core.handshake.HandshakeLine;
import io.pluginrpc.core.tls.AutoMtlsCertificate;
import io.pluginrpc.core.tls.TlsIdentity;
import io.pluginrpc.core.transport.Transports;
import io.pluginrpc.plugin.PluginServer;
import io.pluginrpc.plugin.PluginStartupException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The plugin's explicit TLS from a Spring SSL bundle (go-plugin's TLSProvider) and debug
 * mode (go-plugin's ServeTestConfig), on a real server reached over its real socket. The
 * same on both Spring Boot lines, without a gRPC server integration.
 */
class PluginServerTlsAndDebugTests {

	@TempDir
	Path dir;

	private final AutoMtlsCertificate host = AutoMtlsCertificate.generate();

	private final AutoMtlsCertificate plugin = AutoMtlsCertificate.generate();

	private final List<String> output = new CopyOnWriteArrayList<>();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, PluginServerAutoConfiguration.class))
		.withUserConfiguration(PluginServiceFixtures.Services.class)
		.withBean(PluginHandshakeOutput.class, () -> this.output::add)
		.withBean(PluginExit.class, () -> () -> {
			throw new AssertionError("the plugin must not exit in this test");
		})
		.withPropertyValues("plugin-server.parent-watchdog=false", "plugin-server.redirect-stdio=false");

	@Test
	void sslBundleReplacesAutoMtlsAndTheHandshakeCarriesNoCertificate() throws Exception {
		writePem();
		this.runner.withPropertyValues(cookie()).withPropertyValues(bundle("rw-bundle")).run((context) -> {
			assertThat(context).hasNotFailed();
			PluginServer server = context.getBean(PluginServer.class);
			assertThat(server.isTls()).isTrue();
			assertThat(server.isAutoMtls()).isFalse();
			HandshakeLine handshake = HandshakeLine.parse("test", this.output.get(0), Set.of(1, 2));
			assertThat(handshake.serverCertificate()).as("go-plugin sends no certificate with a TLSProvider").isNull();
			TlsIdentity trusting = new TlsIdentity(this.host.certificate(), this.host.privateKey(),
					List.of(this.plugin.certificate()));
			assertThat(health(handshake, trusting)).isEqualTo(ServingStatus.SERVING);
			// A host whose certificate the bundle does not trust is refused.
			AutoMtlsCertificate stranger = AutoMtlsCertificate.generate();
			assertThatExceptionOfType(StatusRuntimeException.class)
				.isThrownBy(() -> health(handshake, new TlsIdentity(stranger.certificate(), stranger.privateKey(),
						List.of(this.plugin.certificate()))));
		});
	}

	@Test
	void aMissingBundleIsNamed() {
		this.runner.withPropertyValues(cookie())
			.withPropertyValues("plugin-server.tls.bundle=nope")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining(PluginStartupException.class.getName()
						+ ": plugin-server.tls.bundle names the SSL bundle 'nope', which is not configured"));
	}

	@Test
	void aBundleWithoutTrustIsRefused() throws Exception {
		writePem();
		this.runner.withPropertyValues(cookie())
			.withPropertyValues("plugin-server.tls.bundle=p",
					"spring.ssl.bundle.pem.p.keystore.certificate=file:" + this.dir.resolve("plugin.crt"),
					"spring.ssl.bundle.pem.p.keystore.private-key=file:" + this.dir.resolve("plugin.key"))
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("the SSL bundle 'p', which has no trust store"));
	}

	@Test
	void debugModeNeedsNoCookieAndPrintsHowToAttach() {
		this.runner.withPropertyValues("plugin-server.debug=true", "plugin-server.debug-plugin-name=kv")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(this.output).hasSize(1);
				List<String> lines = this.output.get(0).lines().toList();
				PluginServer server = context.getBean(PluginServer.class);
				HandshakeLine started = server.handshake();
				assertThat(lines.get(0)).isEqualTo("{\"Protocol\":\"grpc\",\"ProtocolVersion\":1,\"Pid\":"
						+ ProcessHandle.current().pid() + ",\"Test\":true,\"Addr\":{\"Network\":\"unix\",\"String\":\""
						+ started.address() + "\"}}");
				assertThat(lines).contains("plugins.kv.reattach.address=" + started.address(),
						"plugins.kv.reattach.test=true");
				assertThat(health(started, null)).isEqualTo(ServingStatus.SERVING);
			});
	}

	@Test
	void debugModeOffersAGivenTlsBundleToo() throws Exception {
		writePem();
		this.runner.withPropertyValues("plugin-server.debug=true").withPropertyValues(bundle("b")).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(this.output.get(0)).contains("plugins.<name>.reattach.test=true");
			TlsIdentity trusting = new TlsIdentity(this.host.certificate(), this.host.privateKey(),
					List.of(this.plugin.certificate()));
			assertThat(health(context.getBean(PluginServer.class).handshake(), trusting))
				.isEqualTo(ServingStatus.SERVING);
		});
	}

	private ServingStatus health(HandshakeLine handshake, TlsIdentity tls) {
		ManagedChannel channel = Transports
			.channelBuilder(Transports.socketAddress(handshake.network(), handshake.address()), tls)
			.build();
		try {
			return HealthGrpc.newBlockingStub(channel)
				.withDeadlineAfter(30, TimeUnit.SECONDS)
				.check(HealthCheckRequest.newBuilder().setService("plugin").build())
				.getStatus();
		}
		finally {
			channel.shutdownNow();
		}
	}

	private static String[] cookie() {
		return new String[] { "plugin-server.magic-cookie-key=PLUGIN_SERVER_TLS_TESTS_NO_SUCH_VARIABLE",
				"plugin-server.magic-cookie-value=x" };
	}

	private String[] bundle(String name) {
		String prefix = "spring.ssl.bundle.pem." + name + ".";
		return new String[] { "plugin-server.tls.bundle=" + name,
				prefix + "keystore.certificate=file:" + this.dir.resolve("plugin.crt"),
				prefix + "keystore.private-key=file:" + this.dir.resolve("plugin.key"),
				prefix + "truststore.certificate=file:" + this.dir.resolve("host.crt") };
	}

	private void writePem() throws Exception {
		Files.writeString(this.dir.resolve("plugin.crt"), this.plugin.pem(), StandardCharsets.US_ASCII);
		Files.writeString(this.dir.resolve("plugin.key"),
				"-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
					.encodeToString(this.plugin.privateKey().getEncoded()) + "\n-----END PRIVATE KEY-----\n",
				StandardCharsets.US_ASCII);
		Files.writeString(this.dir.resolve("host.crt"), this.host.pem(), StandardCharsets.US_ASCII);
	}

}
