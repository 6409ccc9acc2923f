package io.pluginrpc.core.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.protobuf.services.HealthStatusManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.pluginrpc.core.Platform;
import io.pluginrpc.core.handshake.HandshakeLine;
import io.pluginrpc.plugin.PluginServer;
import io.pluginrpc.plugin.PluginServerSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The transport choice: epoll on this Linux, NIO in the portable mode (what macOS and
 * Windows get), with real servers and sockets. The portable mode is switched on per test
 * through its system property.
 */
class TransportsTests {

	private final SocketDirectory sockets = SocketDirectory.create(null, null);

	private final HealthStatusManager health = new HealthStatusManager();

	private Server server;

	private ManagedChannel channel;

	@AfterEach
	void cleanUp() throws InterruptedException {
		System.clearProperty(Platform.PORTABLE_PROPERTY);
		if (this.channel != null) {
			this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
		if (this.server != null) {
			this.server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
		this.sockets.close();
	}

	@Test
	void linuxUsesEpollAndServesUnixSocketsUnlessPortable() {
		assertThat(Epoll.isAvailable()).as("this CI runs on Linux x86_64/aarch64").isTrue();
		assertThat(Transports.current()).isEqualTo(Transports.Transport.EPOLL);
		assertThat(Transports.servesUnixSockets()).isTrue();
		assertThat(Transports.socketAddress("unix", "/tmp/x.sock")).isInstanceOf(DomainSocketAddress.class);
		System.setProperty(Platform.PORTABLE_PROPERTY, "true");
		assertThat(Transports.current()).isEqualTo(Transports.Transport.NIO);
		assertThat(Transports.servesUnixSockets()).isFalse();
		assertThat(Transports.socketAddress("unix", "/tmp/x.sock"))
			.isEqualTo(UnixDomainSocketAddress.of("/tmp/x.sock"));
	}

	@Test
	void theJdksUnixSocketChannelReachesASocketServedByEpoll() throws Exception {
		// A Go plugin announces a Unix socket on macOS too: the host must dial it without
		// native code.
		String socket = this.sockets.socket("plugin.sock").toString();
		this.server = Transports.serverBuilder(new DomainSocketAddress(socket), null)
			.addService(this.health.getHealthService())
			.build()
			.start();
		System.setProperty(Platform.PORTABLE_PROPERTY, "true");
		this.channel = Transports.channelBuilder(Transports.socketAddress("unix", socket), null).build();
		assertThat(HealthGrpc.newBlockingStub(this.channel)
			.withDeadlineAfter(10, TimeUnit.SECONDS)
			.check(HealthCheckRequest.getDefaultInstance())
			.getStatus()).isEqualTo(ServingStatus.SERVING);
	}

	@Test
	void nioServesAndDialsTcpAndUnixSockets() throws Exception {
		System.setProperty(Platform.PORTABLE_PROPERTY, "true");
		this.server = Transports.serverBuilder(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null)
			.addService(this.health.getHealthService())
			.build()
			.start();
		InetSocketAddress bound = (InetSocketAddress) this.server.getListenSockets().get(0);
		this.channel = Transports.channelBuilder(Transports.socketAddress("tcp", Transports.tcpAddress(bound)), null)
			.build();
		assertThat(HealthGrpc.newBlockingStub(this.channel)
			.withDeadlineAfter(10, TimeUnit.SECONDS)
			.check(HealthCheckRequest.getDefaultInstance())
			.getStatus()).isEqualTo(ServingStatus.SERVING);
	}

	@Test
	void aPluginWithoutANativeTransportServesLoopbackTcpAndAnnouncesIt() throws Exception {
		System.setProperty(Platform.PORTABLE_PROPERTY, "true");
		PluginServer plugin = PluginServer.prepare(
				new PluginServerSettings(java.util.Map.of(), "unix", Duration.ofSeconds(1), Duration.ofSeconds(5)),
				this.health);
		try {
			HandshakeLine handshake = plugin.start(1, List.of(), () -> {
			});
			assertThat(handshake.network()).isEqualTo("tcp");
			assertThat(handshake.address()).startsWith(InetAddress.getLoopbackAddress().getHostAddress() + ":");
			this.channel = Transports
				.channelBuilder(Transports.socketAddress(handshake.network(), handshake.address()), null)
				.build();
			assertThat(HealthGrpc.newBlockingStub(this.channel)
				.withDeadlineAfter(10, TimeUnit.SECONDS)
				.check(HealthCheckRequest.newBuilder().setService(PluginServer.HEALTH_SERVICE).build())
				.getStatus()).isEqualTo(ServingStatus.SERVING);
		}
		finally {
			plugin.close();
		}
	}

	@Test
	void tcpAddressesAreWrittenAsGoPluginWritesThem() throws Exception {
		assertThat(Transports.tcpAddress(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 10000)))
			.isEqualTo("127.0.0.1:10000");
		assertThat(Transports.tcpAddress(new InetSocketAddress(InetAddress.getByName("::1"), 10000)))
			.isEqualTo("[::1]:10000");
		assertThat(Transports.socketAddress("tcp", "[::1]:10000"))
			.isEqualTo(new InetSocketAddress(InetAddress.getByName("::1"), 10000));
	}

	@Test
	void anEmptyUnixAddressIsRefusedByName() {
		assertThatIllegalArgumentException().isThrownBy(() -> Transports.socketAddress("unix", ""))
			.withMessageContaining("expected a unix socket path");
	}

}
