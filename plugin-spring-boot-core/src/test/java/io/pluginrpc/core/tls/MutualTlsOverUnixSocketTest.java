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
 * Real TLS over a real Unix socket, with the P-521 certificates go-plugin uses, including
 * the host's context prepared before the plugin answers ({@link PreparedClientTls}).
 */
class MutualTlsOverUnixSocketTest {

	private final AutoMtlsCertificate host = AutoMtlsCertificate.generate();

	private final AutoMtlsCertificate plugin = AutoMtlsCertificate.generate();

	private final SocketDirectory sockets = SocketDirectory.create(null, null);

	private final DomainSocketAddress address = new DomainSocketAddress(this.sockets.socket("plugin.sock").toString());

	private Server server;

	@AfterEach
	void stop() throws InterruptedException {
		if (this.server != null) {
			this.server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
		this.sockets.close();
		assertThat(this.sockets.path()).doesNotExist();
	}

	@Test
	void eachSideTrustsExactlyThePeersCertificate() throws Exception {
		startServer();
		ManagedChannel channel = Transports
			.channelBuilder(this.address, TlsIdentity.autoMtls(this.host, this.plugin.certificate()))
			.build();
		try {
			assertThat(check(channel)).isEqualTo(ServingStatus.SERVING);
		}
		finally {
			channel.shutdownNow();
		}
	}

	@Test
	void aClientWithAnotherCertificateIsRejected() throws Exception {
		startServer();
		AutoMtlsCertificate stranger = AutoMtlsCertificate.generate();
		ManagedChannel channel = Transports
			.channelBuilder(this.address, TlsIdentity.autoMtls(stranger, this.plugin.certificate()))
			.build();
		try {
			assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> check(channel));
		}
		finally {
			channel.shutdownNow();
		}
	}

	@Test
	void aPlaintextClientIsRejected() throws Exception {
		startServer();
		ManagedChannel channel = Transports.channelBuilder(this.address, null).build();
		try {
			assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> check(channel));
		}
		finally {
			channel.shutdownNow();
		}
	}

	@Test
	void aClientTrustingAnotherServerCertificateRejectsTheServer() throws Exception {
		startServer();
		ManagedChannel channel = Transports
			.channelBuilder(this.address, TlsIdentity.autoMtls(this.host, AutoMtlsCertificate.generate().certificate()))
			.build();
		try {
			assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> check(channel));
		}
		finally {
			channel.shutdownNow();
		}
	}

	@Test
	void aContextPreparedBeforeTheHandshakeTalksToThePluginItIsPinnedTo() throws Exception {
		PreparedClientTls prepared = PreparedClientTls.prepare();
		startServer(prepared.certificate().certificate());
		ManagedChannel channel = Transports
			.channelBuilderWithContext(this.address, prepared.pin("Plugin 'kv'", this.plugin.certificate()))
			.build();
		try {
			assertThat(check(channel)).isEqualTo(ServingStatus.SERVING);
		}
		finally {
			channel.shutdownNow();
		}
	}

	@Test
	void aContextPinnedToAnotherCertificateRejectsThePluginNamingBothFingerprints() throws Exception {
		PreparedClientTls prepared = PreparedClientTls.prepare();
		startServer(prepared.certificate().certificate());
		X509Certificate announced = AutoMtlsCertificate.generate().certificate();
		ManagedChannel channel = Transports
			.channelBuilderWithContext(this.address, prepared.pin("Plugin 'kv'", announced))
			.build();
		try {
			StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class, () -> check(channel));
			assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
			assertThat(rootCause(failure)).isInstanceOf(CertificateException.class)
				.extracting(Throwable::getMessage, InstanceOfAssertFactories.STRING)
				.startsWith("Plugin 'kv' presented certificate "
						+ PinnedCertificateTrustManager.fingerprint(this.plugin.certificate()))
				.endsWith("not the one of its handshake line (" + PinnedCertificateTrustManager.fingerprint(announced)
						+ ")");
		}
		finally {
			channel.shutdownNow();
		}
	}

	private static Throwable rootCause(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	private void startServer() throws Exception {
		startServer(this.host.certificate());
	}

	private void startServer(X509Certificate trustedClient) throws Exception {
		HealthStatusManager health = new HealthStatusManager();
		health.setStatus("plugin", ServingStatus.SERVING);
		this.server = Transports
			.serverBuilder(this.address,
					new TlsIdentity(this.plugin.certificate(), this.plugin.privateKey(), List.of(trustedClient)))
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

}
