package io.pluginrpc.host;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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

	private StallingRelay relay;

	@AfterEach
	void stop() throws Exception {
		if (this.relay != null) {
			this.relay.close();
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
		this.relay = new StallingRelay(front, socket);
		String line = "1|1|unix|" + front + "|grpc|"
				+ Base64.getEncoder().withoutPadding().encodeToString(plugin.der());
		HandshakeLine handshake = HandshakeLine.parse("slow", line, Set.of(1));
		PluginSockets sockets = PluginSockets.create(this.registry, this.tmp);

		PluginConnection connection = new PluginConnector("slow").connect(new FakeRunner(line), handshake,
				TlsIdentity.autoMtls(host, plugin.certificate()), null, sockets, "auto-mtls", Duration.ofMinutes(2),
				false);
		try {
			assertThat(connection.healthService()).isTrue();
			assertThat(this.relay.accepted).as("connections: the stalled one and the retry")
				.hasValueGreaterThanOrEqualTo(2);
		}
		finally {
			connection.broker().close();
			connection.channel().shutdownNow();
			sockets.release();
		}
	}

	/**
	 * Accepts on {@code front}; holds the first connection silent, relays every later one
	 * to {@code back}.
	 */
	private static final class StallingRelay implements AutoCloseable {

		final AtomicInteger accepted = new AtomicInteger();

		private final Path front;

		private final ServerSocketChannel listener;

		private final Thread acceptor;

		private volatile SocketChannel stalled;

		StallingRelay(Path front, Path back) throws IOException {
			this.front = front;
			this.listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
			this.listener.bind(UnixDomainSocketAddress.of(front));
			this.acceptor = new Thread(() -> {
				try {
					while (true) {
						SocketChannel client = this.listener.accept();
						if (this.accepted.incrementAndGet() == 1) {
							this.stalled = client; // left open and unanswered: the
													// client's TLS handshake times out
							continue;
						}
						SocketChannel server = SocketChannel.open(UnixDomainSocketAddress.of(back));
						pump(client, server);
						pump(server, client);
					}
				}
				catch (IOException ex) {
					// closed
				}
			}, "stalling-relay");
			this.acceptor.setDaemon(true);
			this.acceptor.start();
		}

		private static void pump(SocketChannel from, SocketChannel to) {
			Thread thread = new Thread(() -> {
				ByteBuffer buffer = ByteBuffer.allocate(16384);
				try {
					while (from.read(buffer) >= 0) {
						buffer.flip();
						while (buffer.hasRemaining()) {
							to.write(buffer);
						}
						buffer.clear();
					}
				}
				catch (IOException ex) {
					// either side closed
				}
				finally {
					try {
						to.close();
						from.close();
					}
					catch (IOException ex) {
						// closing anyway
					}
				}
			}, "stalling-relay-pump");
			thread.setDaemon(true);
			thread.start();
		}

		@Override
		public void close() throws IOException {
			this.listener.close();
			if (this.stalled != null) {
				this.stalled.close();
			}
			Files.deleteIfExists(this.front);
		}

	}

}
