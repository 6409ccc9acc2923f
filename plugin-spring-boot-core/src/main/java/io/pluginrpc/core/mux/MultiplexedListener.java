package io.pluginrpc.core.mux;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pluginrpc.core.transport.Transports;

/**
 * The plugin's listener when its host asked for broker multiplexing: like go-plugin's
 * server muxer it accepts exactly one connection, the host's, and runs the yamux server
 * side over it; the streams go to a {@link BrokerMultiplexer}. Any later connection is
 * refused (closed), since a multiplexing host never dials twice.
 */
public final class MultiplexedListener implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(MultiplexedListener.class);

	private final ServerSocketChannel channel;

	private MultiplexedListener(ServerSocketChannel channel) {
		this.channel = channel;
	}

	/**
	 * @param socket the Unix socket to listen on
	 * @return the bound listener
	 * @throws IOException if the socket cannot be bound
	 */
	public static MultiplexedListener unix(Path socket) throws IOException {
		ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		try {
			channel.bind(UnixDomainSocketAddress.of(socket));
		}
		catch (IOException ex) {
			channel.close();
			throw ex;
		}
		return new MultiplexedListener(channel);
	}

	/**
	 * @param address the TCP address to listen on
	 * @return the bound listener
	 * @throws IOException if the address cannot be bound (e.g. the port is taken)
	 */
	public static MultiplexedListener tcp(InetSocketAddress address) throws IOException {
		ServerSocketChannel channel = ServerSocketChannel.open();
		try {
			channel.bind(address);
		}
		catch (IOException ex) {
			channel.close();
			throw ex;
		}
		return new MultiplexedListener(channel);
	}

	/**
	 * @return the bound address ({@link InetSocketAddress} or
	 * {@link UnixDomainSocketAddress})
	 * @throws IOException if the listener is closed
	 */
	public SocketAddress address() throws IOException {
		return this.channel.getLocalAddress();
	}

	/**
	 * Starts accepting: the first connection becomes the session {@code multiplexer}
	 * routes.
	 * @param name what logs and errors call the session
	 * @param multiplexer where the session's streams go
	 */
	public void serve(String name, BrokerMultiplexer multiplexer) {
		Thread acceptor = Transports.daemonThreads("yamux-listener").newThread(() -> {
			boolean first = true;
			while (this.channel.isOpen()) {
				SocketChannel connection;
				try {
					connection = this.channel.accept();
				}
				catch (IOException ex) {
					return;
				}
				if (first) {
					first = false;
					noDelay(connection);
					multiplexer.attach(SocketChannelStreams.session(name, connection, false));
				}
				else {
					logger.warn("{}: refusing a second connection; a multiplexing host dials once", name);
					StreamSplice.closeQuietly(connection);
				}
			}
		});
		acceptor.start();
	}

	/** Frames are flushed one by one; Nagle's algorithm would hold small ones back. */
	private static void noDelay(SocketChannel connection) {
		try {
			if (connection.getRemoteAddress() instanceof java.net.InetSocketAddress) {
				connection.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
			}
		}
		catch (IOException ex) {
			// The session will notice a broken connection itself.
		}
	}

	@Override
	public void close() {
		StreamSplice.closeQuietly(this.channel);
	}

}
