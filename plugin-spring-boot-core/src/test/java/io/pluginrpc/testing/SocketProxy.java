package io.pluginrpc.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Unix socket listener that relays each connection to another socket: it gives a test
 * plugin a listener it can close on its own (the accepted connections live on), and
 * connections it can drop; optionally it leaves the first connections unanswered, as a
 * peer too slow to speak.
 */
public final class SocketProxy {

	private final ServerSocketChannel listener;

	private final Path target;

	private final int stalled;

	private final AtomicInteger accepted = new AtomicInteger();

	private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();

	private SocketProxy(ServerSocketChannel listener, Path target, int stalled) {
		this.listener = listener;
		this.target = target;
		this.stalled = stalled;
	}

	/**
	 * @param front where to listen
	 * @param target where to relay to
	 * @return the running proxy
	 * @throws IOException if it cannot listen
	 */
	public static SocketProxy start(Path front, Path target) throws IOException {
		return start(front, target, 0);
	}

	/**
	 * @param front where to listen
	 * @param target where to relay to
	 * @param stalled how many of the first connections are accepted and then left
	 * unanswered (open until {@link #dropConnections()}), every later one relayed
	 * @return the running proxy
	 * @throws IOException if it cannot listen
	 */
	public static SocketProxy start(Path front, Path target, int stalled) throws IOException {
		ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		listener.bind(UnixDomainSocketAddress.of(front));
		SocketProxy proxy = new SocketProxy(listener, target, stalled);
		daemon("proxy-accept", proxy::accept);
		return proxy;
	}

	private void accept() {
		try {
			while (true) {
				SocketChannel client = this.listener.accept();
				if (this.accepted.incrementAndGet() <= this.stalled) {
					this.open.add(client);
					continue;
				}
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
	public void closeListener() {
		try {
			this.listener.close();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Closes every relayed (and stalled) connection. */
	public void dropConnections() {
		this.open.forEach(SocketProxy::close);
	}

	/**
	 * @return how many connections the proxy accepted so far
	 */
	public int accepted() {
		return this.accepted.get();
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
