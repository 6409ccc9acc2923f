package io.pluginrpc.core.mux;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;

import io.pluginrpc.core.transport.SocketDirectory;

/**
 * The host's side of broker multiplexing: dials the plugin's address once, runs the yamux
 * client side over the connection, and returns the {@link BrokerMultiplexer} whose
 * {@linkplain BrokerMultiplexer#dialEndpoint endpoints} carry the host's channels.
 */
public final class MultiplexedDialer {

	private MultiplexedDialer() {
	}

	/**
	 * @param owner how messages name the plugin, e.g. {@code Plugin 'kv'}
	 * @param network {@code unix} or {@code tcp}, from the handshake
	 * @param address the socket path or {@code host:port}, from the handshake
	 * @param sockets the host's private socket directory, for the endpoints
	 * @param timeout how long dials wait for the session
	 * @return the multiplexer with its session attached
	 * @throws IOException if the plugin cannot be reached
	 */
	public static BrokerMultiplexer dial(String owner, String network, String address, SocketDirectory sockets,
			Duration timeout) throws IOException {
		SocketChannel connection;
		if ("unix".equals(network)) {
			connection = SocketChannel.open(StandardProtocolFamily.UNIX);
			connection.connect(UnixDomainSocketAddress.of(address));
		}
		else {
			connection = SocketChannel.open();
			connection.connect(tcpAddress(address));
			connection.socket().setKeepAlive(true);
			connection.socket().setTcpNoDelay(true);
		}
		BrokerMultiplexer multiplexer = new BrokerMultiplexer(owner, sockets, null, timeout);
		multiplexer.attach(SocketChannelStreams.session(owner, connection, true));
		return multiplexer;
	}

	private static SocketAddress tcpAddress(String address) throws IOException {
		int colon = address.lastIndexOf(':');
		if (colon <= 0) {
			throw new IOException("expected a tcp address like 127.0.0.1:10000, but got '" + address + "'");
		}
		String host = address.substring(0, colon);
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		try {
			return new InetSocketAddress(host, Integer.parseInt(address.substring(colon + 1)));
		}
		catch (IllegalArgumentException ex) {
			throw new IOException("expected a tcp address like 127.0.0.1:10000, but got '" + address + "'", ex);
		}
	}

}
