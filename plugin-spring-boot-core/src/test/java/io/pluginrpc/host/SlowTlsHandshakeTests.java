package io.pluginrpc.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.protobuf.services.HealthStatusManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pluginrpc.core.handshake.HandshakeLine;
import io.pluginrpc.core.tls.AutoMtlsCertificate;
import io.pluginrpc.core.tls.TlsIdentity;
import io.pluginrpc.core.transport.Transports;
import io.pluginrpc.testing.SocketProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plugin whose first TLS handshake takes longer than Netty's 10 s handshake timeout (a
 * cold JVM plugin's first P-521 handshake on a busy machine) still starts within the
 * start timeout: a real mutual-TLS gRPC server behind a real Unix socket relay that
 * leaves the first connection unanswered.
 */
class SlowTlsHandshakeTests {

	@TempDir
	Path tmp;

	private final ProcessRegistry registry = new ProcessRegistry();

	private Server server;

	private SocketProxy relay;

	@AfterEach
	void stop() throws Exception {
		if (this.relay != null) {
			this.relay.closeListener();
			this.relay.dropConnections();
		}
		if (this.server != null) {
			this.server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
		// Stops the orphan guard the socket directory started: no process outlives the
		// test.
		this.registry.close();
	}

	@Test
	void aHandshakeTimeoutIsRetriedUntilTheStartTimeout() throws Exception {
		AutoMtlsCertificate plugin = AutoMtlsCertificate.generate();
		AutoMtlsCertificate host = AutoMtlsCertificate.generate();
		Path socket = this.tmp.resolve("plugin.sock");
		HealthStatusManager health = new HealthStatusManager();
		health.setStatus("plugin", ServingStatus.SERVING);
		this.server = Transports
			.serverBuilder(new DomainSocketAddress(socket.toString()), TlsIdentity.autoMtls(plugin, host.certificate()))
			.addService(health.getHealthService())
			.build()
			.start();
		Path front = this.tmp.resolve("front.sock");
		// The first connection is left unanswered: the client's TLS handshake times out.
		this.relay = SocketProxy.start(front, socket, 1);
		String line = "1|1|unix|" + front + "|grpc|"
				+ Base64.getEncoder().withoutPadding().encodeToString(plugin.der());
		HandshakeLine handshake = HandshakeLine.parse("slow", line, Set.of(1));
		PluginSockets sockets = PluginSockets.create(this.registry, this.tmp);

		PluginConnection connection = new PluginConnector("slow").connect(new FakeRunner(line), handshake,
				TlsIdentity.autoMtls(host, plugin.certificate()), null, sockets, "auto-mtls", Duration.ofMinutes(2),
				false);
		try {
			assertThat(connection.healthService()).isTrue();
			assertThat(this.relay.accepted()).as("connections: the stalled one and the retry")
				.isGreaterThanOrEqualTo(2);
		}
		finally {
			connection.broker().close();
			connection.channel().shutdownNow();
			sockets.release();
		}
	}

}
