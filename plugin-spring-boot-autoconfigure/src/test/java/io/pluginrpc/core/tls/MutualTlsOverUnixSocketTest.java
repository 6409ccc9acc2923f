package io.pluginrpc.core.tls;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.protobuf.services.HealthStatusManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.pluginrpc.core.transport.SocketDirectory;
import io.pluginrpc.core.transport.Transports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Real TLS over a real Unix socket, with the P-521 certificates go-plugin uses. */
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

	private void startServer() throws Exception {
		HealthStatusManager health = new HealthStatusManager();
		health.setStatus("plugin", ServingStatus.SERVING);
		this.server = Transports
			.serverBuilder(this.address, new TlsIdentity(this.plugin.certificate(), this.plugin.privateKey(),
					List.of(this.host.certificate())))
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
