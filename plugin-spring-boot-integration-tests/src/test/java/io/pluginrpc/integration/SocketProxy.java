package io.pluginrpc.integration;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Unix socket listener that relays each connection to another socket: it gives a test
 * plugin a listener it can close on its own (the accepted connections live on), and
 * connections it can drop.
 */
final class SocketProxy {

	private final ServerSocketChannel listener;

	private final Path target;

	private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();

	private SocketProxy(ServerSocketChannel listener, Path target) {
		this.listener = listener;
		this.target = target;
	}

	/**
	 * @param front where to listen
	 * @param target where to relay to
	 * @return the running proxy
	 * @throws IOException if it cannot listen
	 */
	static SocketProxy start(Path front, Path target) throws IOException {
		ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		listener.bind(UnixDomainSocketAddress.of(front));
		SocketProxy proxy = new SocketProxy(listener, target);
		daemon("proxy-accept", proxy::accept);
		return proxy;
	}

	private void accept() {
		try {
			while (true) {
				SocketChannel client = this.listener.accept();
				SocketChannel server = SocketChannel.open(UnixDomainSocketAddress.of(this.target));
				this.open.add(client);
				this.open.add(server);
				daemon("proxy-up", () -> relay(client, server));
				daemon("proxy-down", () -> relay(server, client));
			}
		}
		catch (IOException ex) {
			// The listener was closed.
		}
	}

	private void relay(SocketChannel from, SocketChannel to) {
		ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
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
			// Dropped.
		}
		finally {
			close(from);
			close(to);
		}
	}

	/**
	 * Stops accepting; the socket file stays, as it does when a Go listener is closed
	 * without removal.
	 */
	void closeListener() {
		try {
			this.listener.close();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Closes every relayed connection. */
	void dropConnections() {
		this.open.forEach(SocketProxy::close);
	}

	private static void close(SocketChannel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// Already closed.
		}
	}

	private static void daemon(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
	}

}
