package io.pluginrpc.core.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.ServerChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;

import io.pluginrpc.core.Platform;
import io.pluginrpc.core.tls.TlsIdentity;

/**
 * Builds gRPC servers and channels for the two networks of the protocol, {@code unix} and
 * {@code tcp}, on one shared daemon event loop group per transport. Sharing a group means
 * starting and stopping plugins or broker connections never creates threads.
 * <p>
 * Two transports, chosen on every call by {@link #current()}: Netty's native epoll (Linux
 * x86_64/aarch64, carried by grpc-netty-shaded) where it loads and the portable mode
 * ({@link Platform}) is off, else Netty's NIO. NIO reaches Unix sockets through the JDK's
 * own Unix-domain channels (JDK 16+, on Linux, macOS and Windows 10 1803+), so a host
 * dials the Unix socket a Go plugin announces on every OS without native code. Our own
 * servers listen on Unix sockets with epoll only; with NIO they listen on loopback TCP,
 * the network go-plugin itself uses where it has no Unix sockets (see
 * {@link #servesUnixSockets()}).
 */
public final class Transports {

	/**
	 * The most a peer may send in one message: go-plugin raises gRPC's limit to the
	 * maximum.
	 */
	public static final int MAX_MESSAGE_SIZE = Integer.MAX_VALUE;

	/**
	 * HTTP/2 flow-control window of the host's channels: 1 MiB, far above a local
	 * socket's bandwidth-delay product.
	 */
	static final int FLOW_CONTROL_WINDOW = 1024 * 1024;

	/** A Netty transport: its event loop group and channel types. */
	public enum Transport {

		/** Netty's native epoll transport (Linux). */
		EPOLL(EpollServerDomainSocketChannel.class, EpollServerSocketChannel.class, EpollDomainSocketChannel.class,
				EpollSocketChannel.class),

		/**
		 * Netty's NIO transport, Unix sockets through the JDK's Unix-domain channels
		 * (every OS).
		 */
		NIO(NioServerDomainSocketChannel.class, NioServerSocketChannel.class, NioDomainSocketChannel.class,
				NioSocketChannel.class);

		private final Class<? extends ServerChannel> unixServer;

		private final Class<? extends ServerChannel> tcpServer;

		private final Class<? extends Channel> unixClient;

		private final Class<? extends Channel> tcpClient;

		private volatile EventLoopGroup group;

		Transport(Class<? extends ServerChannel> unixServer, Class<? extends ServerChannel> tcpServer,
				Class<? extends Channel> unixClient, Class<? extends Channel> tcpClient) {
			this.unixServer = unixServer;
			this.tcpServer = tcpServer;
			this.unixClient = unixClient;
			this.tcpClient = tcpClient;
		}

		/**
		 * @return this transport's shared event loop group, created on first use with
		 * daemon threads
		 */
		public EventLoopGroup eventLoopGroup() {
			EventLoopGroup current = this.group;
			if (current == null) {
				synchronized (this) {
					current = this.group;
					if (current == null) {
						int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
						current = (this == EPOLL) ? new EpollEventLoopGroup(threads, daemonThreads("plugin-rpc-io"))
								: new NioEventLoopGroup(threads, daemonThreads("plugin-rpc-nio"));
						this.group = current;
					}
				}
			}
			return current;
		}

	}

	private Transports() {
	}

	/**
	 * @return epoll where Netty's native transport loads (Linux; not in portable mode,
	 * not with Netty's {@code noNative} property), NIO everywhere else
	 */
	public static Transport current() {
		return (!Platform.isPortable() && Epoll.isAvailable()) ? Transport.EPOLL : Transport.NIO;
	}

	/**
	 * Whether our servers (the plugin's listener, broker servers) listen on Unix sockets.
	 * Only with epoll: elsewhere they serve loopback TCP, as go-plugin does on Windows;
	 * every go-plugin host dials {@code tcp} on every OS, and one rule for macOS, Windows
	 * and the portable mode keeps the path that CI proves the one they run.
	 * @return whether servers listen on Unix sockets
	 */
	public static boolean servesUnixSockets() {
		return current() == Transport.EPOLL;
	}

	/**
	 * @return the shared event loop group of the {@link #current()} transport, created on
	 * first use
	 */
	public static EventLoopGroup eventLoopGroup() {
		return current().eventLoopGroup();
	}

	/**
	 * @param path a Unix socket path
	 * @return its address for the {@link #current()} transport
	 */
	public static SocketAddress unixSocketAddress(String path) {
		return (current() == Transport.EPOLL) ? new DomainSocketAddress(path) : UnixDomainSocketAddress.of(path);
	}

	/**
	 * Resolves a handshake or broker address.
	 * @param network {@code unix} or {@code tcp}
	 * @param address socket path or {@code host:port}
	 * @return the socket address
	 * @throws IllegalArgumentException with a readable message for an unknown network or
	 * bad address
	 */
	public static SocketAddress socketAddress(String network, String address) {
		switch (network) {
			case "unix":
				if (address.isEmpty()) {
					throw new IllegalArgumentException("expected a unix socket path, but got an empty address");
				}
				requireUnixSockets(address);
				return unixSocketAddress(address);
			case "tcp":
				int colon = address.lastIndexOf(':');
				if (colon <= 0 || colon == address.length() - 1) {
					throw new IllegalArgumentException(
							"expected a tcp address like 127.0.0.1:10000, but got '" + address + "'");
				}
				String host = address.substring(0, colon);
				if (host.startsWith("[") && host.endsWith("]")) {
					host = host.substring(1, host.length() - 1);
				}
				try {
					return new InetSocketAddress(host, Integer.parseInt(address.substring(colon + 1)));
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException(
							"expected a tcp address like 127.0.0.1:10000, but got '" + address + "'", ex);
				}
			default:
				throw new IllegalArgumentException("unknown network '" + network + "' for address '" + address + "'");
		}
	}

	/**
	 * Formats a TCP address as Go's {@code net.JoinHostPort} does, so a Go host can dial
	 * what a plugin announces: {@code 127.0.0.1:10000}, and an IPv6 host in brackets with
	 * its zeros compressed ({@code [::1]:10000}); without brackets the port would read as
	 * part of the address.
	 * @param address a bound TCP address
	 * @return {@code host:port}
	 */
	public static String tcpAddress(InetSocketAddress address) {
		java.net.InetAddress host = address.getAddress();
		if (host instanceof java.net.Inet6Address ipv6) {
			String text = compressIpv6(ipv6.getAddress());
			if (ipv6.getScopedInterface() != null) {
				text += "%" + ipv6.getScopedInterface().getName();
			}
			else if (ipv6.getScopeId() != 0) {
				text += "%" + ipv6.getScopeId();
			}
			return "[" + text + "]:" + address.getPort();
		}
		return ((host != null) ? host.getHostAddress() : address.getHostString()) + ":" + address.getPort();
	}

	/**
	 * RFC 5952 text: lower-case hex groups, the longest run of two or more zero groups as
	 * {@code ::}.
	 */
	private static String compressIpv6(byte[] bytes) {
		int[] groups = new int[8];
		for (int i = 0; i < 8; i++) {
			groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
		}
		int bestStart = -1;
		int bestLength = 1;
		for (int i = 0; i < 8;) {
			int j = i;
			while (j < 8 && groups[j] == 0) {
				j++;
			}
			if (j - i > bestLength) {
				bestStart = i;
				bestLength = j - i;
			}
			i = (j == i) ? i + 1 : j;
		}
		StringBuilder text = new StringBuilder(39);
		for (int i = 0; i < 8; i++) {
			if (i == bestStart) {
				text.append("::");
				i += bestLength - 1;
				continue;
			}
			if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
				text.append(':');
			}
			text.append(Integer.toHexString(groups[i]));
		}
		return text.toString();
	}

	/**
	 * @param address where to listen: a Unix socket address (Netty's or the JDK's, either
	 * works with either transport) or an {@link InetSocketAddress}
	 * @param tls own identity for mutual TLS, or {@code null} for plaintext
	 * @return a server builder bound to the shared event loop group
	 */
	public static NettyServerBuilder serverBuilder(SocketAddress address, TlsIdentity tls) {
		Transport transport = current();
		EventLoopGroup loop = transport.eventLoopGroup();
		SocketAddress bind = forTransport(transport, address);
		NettyServerBuilder builder = NettyServerBuilder.forAddress(bind)
			.channelType(isUnix(bind) ? transport.unixServer : transport.tcpServer)
			.bossEventLoopGroup(loop)
			.workerEventLoopGroup(loop)
			.maxInboundMessageSize(MAX_MESSAGE_SIZE)
			.maxInboundMetadataSize(1024 * 1024);
		if (tls != null) {
			builder.sslContext(sslContext(tls, true));
		}
		return builder;
	}

	/**
	 * @param address where to connect
	 * @param tls own identity for mutual TLS, or {@code null} for plaintext
	 * @return a channel builder on the shared event loop group, authority
	 * {@code localhost}, no keepalive pings (grpc-go servers answer frequent pings with
	 * GOAWAY)
	 */
	public static NettyChannelBuilder channelBuilder(SocketAddress address, TlsIdentity tls) {
		return channelBuilderWithContext(address, (tls != null) ? sslContext(tls, false) : null);
	}

	/**
	 * A channel builder for a client TLS context made beforehand (see
	 * {@code PreparedClientTls}).
	 * @param address where the peer listens
	 * @param tls the client context, or {@code null} for plaintext
	 * @return the builder
	 */
	public static NettyChannelBuilder channelBuilderWithContext(SocketAddress address, SslContext tls) {
		Transport transport = current();
		EventLoopGroup loop = transport.eventLoopGroup();
		SocketAddress target = forTransport(transport, address);
		NettyChannelBuilder builder = NettyChannelBuilder.forAddress(target)
			.channelType(isUnix(target) ? transport.unixClient : transport.tcpClient)
			.eventLoopGroup(loop)
			.overrideAuthority(TlsIdentity.AUTHORITY)
			.maxInboundMessageSize(MAX_MESSAGE_SIZE)
			.maxInboundMetadataSize(1024 * 1024);
		// A plugin is one local process behind one connection: a call it refused is not
		// worth a hidden retry
		// (go-plugin does not retry either; supervision restarts the plugin), and a fixed
		// window spares the
		// BDP pings that tune windows for long-haul links. Both cut per-call work
		// (bench/: about +30% calls/s
		// with 64 callers).
		builder.disableRetry().flowControlWindow(FLOW_CONTROL_WINDOW);
		// No idle mode (grpc-java drops an unused connection after 30 min and dials again
		// on the next call):
		// a plugin's connection lives as long as the plugin, and a plugin whose socket
		// file was removed can
		// still be reached over the connection it has, but not dialled again. Over 30
		// days turns it off.
		builder.idleTimeout(365, TimeUnit.DAYS);
		if (tls != null) {
			builder.sslContext(tls).useTransportSecurity();
		}
		else {
			builder.usePlaintext();
		}
		return builder;
	}

	private static SslContext sslContext(TlsIdentity tls, boolean server) {
		try {
			return server ? tls.serverContext() : tls.clientContext();
		}
		catch (javax.net.ssl.SSLException ex) {
			throw new IllegalStateException("Could not set up TLS for the plugin " + (server ? "server" : "connection")
					+ ": " + ex.getMessage(), ex);
		}
	}

	private static boolean isUnix(SocketAddress address) {
		return address instanceof DomainSocketAddress || address instanceof UnixDomainSocketAddress;
	}

	/**
	 * Converts a Unix socket address to the type the transport's channels take; others
	 * pass unchanged.
	 */
	private static SocketAddress forTransport(Transport transport, SocketAddress address) {
		if (transport == Transport.EPOLL && address instanceof UnixDomainSocketAddress jdk) {
			return new DomainSocketAddress(jdk.getPath().toString());
		}
		if (transport == Transport.NIO && address instanceof DomainSocketAddress netty) {
			return UnixDomainSocketAddress.of(netty.path());
		}
		return address;
	}

	private static volatile Boolean jdkUnixSockets;

	/**
	 * The one place where nothing can work: NIO without Unix-domain sockets in the OS
	 * (Windows before 10 version 1803). Probed once by opening (not connecting) a
	 * Unix-domain channel.
	 */
	private static void requireUnixSockets(String address) {
		if (current() == Transport.EPOLL) {
			return;
		}
		Boolean supported = jdkUnixSockets;
		if (supported == null) {
			try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
				supported = Boolean.TRUE;
			}
			catch (IOException | UnsupportedOperationException ex) {
				supported = Boolean.FALSE;
			}
			jdkUnixSockets = supported;
		}
		if (!supported) {
			throw new IllegalArgumentException("the peer announced the Unix socket " + address + ", but "
					+ System.getProperty("os.name") + " offers no Unix-domain sockets to Java (Windows needs 10 version"
					+ " 1803 or later); a plugin must listen on tcp here");
		}
	}

	/**
	 * @param prefix thread name prefix
	 * @return a factory of named daemon threads
	 */
	public static ThreadFactory daemonThreads(String prefix) {
		AtomicInteger counter = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}
