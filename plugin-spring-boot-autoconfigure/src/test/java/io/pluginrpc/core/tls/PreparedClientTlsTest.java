package io.pluginrpc.core.tls;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.protobuf.services.HealthStatusManager;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.pluginrpc.core.transport.SocketDirectory;
import io.pluginrpc.core.transport.Transports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The host's AutoMTLS context built before the plugin answers, over real TLS on a real Unix socket:
 * it trusts exactly the certificate pinned afterwards.
 */
class PreparedClientTlsTest {

	private final PreparedClientTls prepared = PreparedClientTls.prepare();

	private final AutoMtlsCertificate plugin = AutoMtlsCertificate.generate();

	private final SocketDirectory sockets = SocketDirectory.create(null, null);

	private final DomainSocketAddress address = new DomainSocketAddress(this.sockets.socket("plugin.sock").toString());

	private Server server;

	private ManagedChannel channel;

	@AfterEach
	void stop() throws InterruptedException {
		if (this.channel != null) {
			this.channel.shutdownNow();
		}
		if (this.server != null) {
			this.server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
		this.sockets.close();
	}

	@Test
	void pinnedToTheAnnouncedCertificateItTalksToThePlugin() throws Exception {
		startServer();
		this.channel = Transports
			.channelBuilderWithContext(this.address, this.prepared.pin("Plugin 'kv'", this.plugin.certificate()))
			.build();
		assertThat(check(this.channel)).isEqualTo(ServingStatus.SERVING);
	}

	@Test
	void aPluginPresentingAnotherCertificateIsRejectedWithBothFingerprints() throws Exception {
		startServer();
		X509Certificate announced = AutoMtlsCertificate.generate().certificate();
		this.channel = Transports.channelBuilderWithContext(this.address, this.prepared.pin("Plugin 'kv'", announced))
			.build();
		StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class, () -> check(this.channel));
		assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
		assertThat(rootCause(failure)).isInstanceOf(CertificateException.class)
			.extracting(Throwable::getMessage, InstanceOfAssertFactories.STRING)
			.startsWith("Plugin 'kv' presented certificate " + PinnedCertificateTrustManager.fingerprint(this.plugin.certificate()))
			.endsWith("not the one of its handshake line (" + PinnedCertificateTrustManager.fingerprint(announced) + ")");
	}

	@Test
	void trustsNothingBeforeACertificateIsPinned() {
		PinnedCertificateTrustManager trust = new PinnedCertificateTrustManager();
		X509Certificate[] chain = { this.plugin.certificate() };
		assertThatExceptionOfType(CertificateException.class).isThrownBy(() -> trust.checkServerTrusted(chain, "EC"))
			.withMessageContaining("no certificate to trust yet");
		assertThat(trust.getAcceptedIssuers()).isEmpty();
		trust.pin("Plugin 'kv'", this.plugin.certificate());
		assertThat(trust.getAcceptedIssuers()).containsExactly(this.plugin.certificate());
		assertThatExceptionOfType(CertificateException.class)
			.isThrownBy(() -> trust.checkServerTrusted(new X509Certificate[0], "EC"))
			.withMessageStartingWith("Plugin 'kv' presented no certificate");
		assertThatExceptionOfType(CertificateException.class).isThrownBy(() -> trust.checkClientTrusted(chain, "EC"))
			.withMessageContaining("only for clients");
	}

	@Test
	void everyPreparationHasItsOwnKeys() {
		PreparedClientTls other = PreparedClientTls.prepare();
		assertThat(other.certificate().certificate().getPublicKey())
			.isNotEqualTo(this.prepared.certificate().certificate().getPublicKey());
	}

	private void startServer() throws Exception {
		HealthStatusManager health = new HealthStatusManager();
		health.setStatus("plugin", ServingStatus.SERVING);
		this.server = Transports
			.serverBuilder(this.address, new TlsIdentity(this.plugin.certificate(), this.plugin.privateKey(),
					List.of(this.prepared.certificate().certificate())))
			.addService(health.getHealthService())
			.build()
			.start();
	}

	private static ServingStatus check(ManagedChannel channel) {
		return HealthGrpc.newBlockingStub(channel)
			.withDeadlineAfter(10, TimeUnit.SECONDS)
			.check(HealthCheckRequest.newBuilder().setService("plugin").build())
			.getStatus();
	}

	private static Throwable rootCause(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

}
