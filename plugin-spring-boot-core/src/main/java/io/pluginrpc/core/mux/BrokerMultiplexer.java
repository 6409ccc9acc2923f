package io.pluginrpc.core.mux;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pluginrpc.core.transport.SocketDirectory;
import io.pluginrpc.core.transport.Transports;

/**
 * Carries gRPC connections over one yamux session the way go-plugin's
 * {@code internal/grpcmux} does (see the package documentation), by splicing each yamux
 * stream to a local Unix socket connection: servers (the plugin's main server, brokered
 * servers) keep listening on private sockets, and channels dial private
 * {@linkplain #dialEndpoint endpoints} that open a stream per connection. gRPC itself,
 * TLS included, is unchanged.
 * <p>
 * Incoming streams go to the listener of the oldest pending knock ({@link #acceptKnock});
 * without a pending knock, to the default destination (the plugin's main server), or are
 * refused when there is none (a host).
 */
public final class BrokerMultiplexer implements AutoCloseable {

	/**
	 * Sends a knock for an id over the broker stream and waits for its acknowledgement.
	 */
	@FunctionalInterface
	public interface Knocker {

		/**
		 * @param id the broker id about to be dialled
		 * @throws IOException if the peer refused the knock or did not acknowledge it in
		 * time
		 */
		void knock(int id) throws IOException;

	}

	private static final Logger logger = LoggerFactory.getLogger(BrokerMultiplexer.class);

	private static final ScheduledExecutorService EXPIRY = Executors
		.newSingleThreadScheduledExecutor(Transports.daemonThreads("yamux-knock-expiry"));

	private final String owner;

	private final SocketDirectory sockets;

	private final Path defaultTarget;

	private final Duration sessionTimeout;

	private final CompletableFuture<YamuxSession> session = new CompletableFuture<>();

	private final Map<Integer, Path> listeners = new ConcurrentHashMap<>();

	private final BlockingQueue<Integer> knocks = new LinkedBlockingQueue<>();

	/**
	 * Knocks that arrived before their listener, with how to acknowledge each; also the
	 * lock of routing state.
	 */
	private final Map<Integer, List<Consumer<String>>> earlyKnocks = new HashMap<>();

	/**
	 * Knock and open happen under this lock, so acknowledgements and streams pair up in
	 * order.
	 */
	private final Object dialLock = new Object();

	private final List<ServerSocketChannel> endpoints = new CopyOnWriteArrayList<>();

	private Path mainEndpoint;

	private volatile boolean closed;

	/**
	 * @param owner how messages name this side, e.g. {@code Plugin 'kv'} or
	 * {@code This plugin}
	 * @param sockets where the private dial endpoints are created
	 * @param defaultTarget the main gRPC server's socket for streams without a knock (a
	 * plugin), or {@code null} (a host)
	 * @param sessionTimeout how long an operation waits for the session to be established
	 */
	public BrokerMultiplexer(String owner, SocketDirectory sockets, Path defaultTarget, Duration sessionTimeout) {
		this.owner = owner;
		this.sockets = sockets;
		this.defaultTarget = defaultTarget;
		this.sessionTimeout = sessionTimeout;
	}

	/**
	 * Starts routing the streams of an established session.
	 * @param established the session (a plugin's server side or a host's client side)
	 */
	public void attach(YamuxSession established) {
		if (!this.session.complete(established)) {
			throw new IllegalStateException(this.owner + ": the broker multiplexer already has a session");
		}
		Thread router = Transports.daemonThreads("yamux-router").newThread(() -> route(established));
		router.start();
	}

	/**
	 * @return the session once attached, or {@code null}
	 */
	public YamuxSession sessionOrNull() {
		return (this.session.isDone() && !this.session.isCompletedExceptionally()) ? this.session.join() : null;
	}

	private void route(YamuxSession established) {
		while (!this.closed) {
			YamuxStream stream;
			try {
				stream = established.accept();
			}
			catch (IOException ex) {
				logger.debug("{}: yamux session ended: {}", this.owner, ex.getMessage());
				return;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			Integer knocked = this.knocks.poll();
			Path target = (knocked != null) ? this.listeners.get(knocked) : this.defaultTarget;
			if (target == null) {
				logger.warn("{}: refusing a yamux stream {}", this.owner,
						(knocked != null) ? "knocked for broker id " + knocked + ", which has no listener any more"
								: "that arrived without a knock");
				stream.reset();
				continue;
			}
			try {
				SocketChannel local = SocketChannel.open(UnixDomainSocketAddress.of(target));
				StreamSplice.splice(stream, local);
			}
			catch (IOException ex) {
				logger.warn("{}: could not reach the local gRPC server at {} for a multiplexed connection: {}",
						this.owner, target, ex.toString());
				stream.reset();
			}
		}
	}

	/**
	 * Makes streams knocked for {@code id} go to a server listening on {@code socket}.
	 * @param id the broker id
	 * @param socket the brokered server's Unix socket
	 */
	public void listen(int id, Path socket) {
		List<Consumer<String>> waiting;
		synchronized (this.earlyKnocks) {
			this.listeners.put(id, socket);
			waiting = this.earlyKnocks.remove(id);
			if (waiting != null) {
				waiting.forEach((acknowledge) -> this.knocks.add(id));
			}
		}
		if (waiting != null) {
			waiting.forEach((acknowledge) -> acknowledge.accept(""));
		}
	}

	/**
	 * @param id a broker id whose server stopped
	 */
	public void unlisten(int id) {
		this.listeners.remove(id);
	}

	/**
	 * Marks {@code id} as the destination of the next stream the peer opens; the peer
	 * opens it after the acknowledgement. A knock for an id nobody listens on yet waits
	 * for {@link #listen} (go-plugin keeps such a knock until its {@code Accept}), up to
	 * the session timeout, and is then refused.
	 * @param id the knocked broker id
	 * @param acknowledge sends the acknowledgement: an empty error, or why the knock is
	 * refused
	 */
	public void acceptKnock(int id, Consumer<String> acknowledge) {
		synchronized (this.earlyKnocks) {
			if (!this.listeners.containsKey(id)) {
				this.earlyKnocks.computeIfAbsent(id, (key) -> new ArrayList<>()).add(acknowledge);
				EXPIRY.schedule(() -> expire(id, acknowledge), this.sessionTimeout.toMillis(), TimeUnit.MILLISECONDS);
				return;
			}
			this.knocks.add(id);
		}
		acknowledge.accept("");
	}

	private void expire(int id, Consumer<String> acknowledge) {
		synchronized (this.earlyKnocks) {
			List<Consumer<String>> waiting = this.earlyKnocks.get(id);
			if (waiting == null || !waiting.remove(acknowledge)) {
				return;
			}
			if (waiting.isEmpty()) {
				this.earlyKnocks.remove(id);
			}
		}
		acknowledge.accept("no listener for id " + Integer.toUnsignedLong(id));
	}

	/**
	 * @return how many knocks wait for their listener
	 */
	int earlyKnocks() {
		synchronized (this.earlyKnocks) {
			return this.earlyKnocks.values().stream().mapToInt(List::size).sum();
		}
	}

	/**
	 * Opens a private endpoint for a gRPC channel: every connection to it becomes a new
	 * yamux stream, announced by a knock for {@code id} first when {@code id} is given.
	 * @param id the broker id to knock for, or {@code null} for the main connection (no
	 * knock)
	 * @param knocker how to knock
	 * @return the endpoint's Unix socket, to dial with an ordinary channel
	 * @throws IOException if the endpoint could not be opened
	 */
	public Path dialEndpoint(Integer id, Knocker knocker) throws IOException {
		Path path = this.sockets.nextSocket((id != null) ? "mux-" + id + "-" : "mux-main-");
		ServerSocketChannel endpoint = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		endpoint.bind(UnixDomainSocketAddress.of(path));
		this.sockets.secure(path);
		this.endpoints.add(endpoint);
		Thread acceptor = Transports.daemonThreads("yamux-dial-" + ((id != null) ? id : "main")).newThread(() -> {
			while (endpoint.isOpen()) {
				SocketChannel local;
				try {
					local = endpoint.accept();
				}
				catch (IOException ex) {
					break;
				}
				StreamSplice.THREADS.execute(() -> connect(id, knocker, local));
			}
			try {
				Files.deleteIfExists(path);
			}
			catch (IOException ex) {
				// The socket directory goes as a whole later.
			}
		});
		acceptor.start();
		return path;
	}

	/**
	 * The endpoint for a host's main channel to the plugin (streams without a knock),
	 * opened on first use.
	 * @return its Unix socket
	 * @throws IOException if the endpoint could not be opened
	 */
	public synchronized Path mainEndpoint() throws IOException {
		if (this.mainEndpoint == null) {
			this.mainEndpoint = dialEndpoint(null, null);
		}
		return this.mainEndpoint;
	}

	/**
	 * Closes an endpoint made by {@link #dialEndpoint} (its channel is gone).
	 * @param path the endpoint
	 */
	public void closeEndpoint(Path path) {
		for (ServerSocketChannel endpoint : this.endpoints) {
			try {
				if (endpoint.getLocalAddress() instanceof UnixDomainSocketAddress unix && unix.getPath().equals(path)) {
					this.endpoints.remove(endpoint);
					StreamSplice.closeQuietly(endpoint);
				}
			}
			catch (IOException ex) {
				// Already closed.
			}
		}
	}

	private void connect(Integer id, Knocker knocker, SocketChannel local) {
		YamuxStream stream;
		try {
			YamuxSession established = awaitSession();
			synchronized (this.dialLock) {
				if (id != null) {
					knocker.knock(id);
				}
				stream = established.open();
			}
		}
		catch (IOException ex) {
			logger.warn("{}: multiplexed dial{} failed: {}", this.owner, (id != null) ? " of broker id " + id : "",
					ex.getMessage());
			StreamSplice.closeQuietly(local);
			return;
		}
		StreamSplice.splice(stream, local);
	}

	private YamuxSession awaitSession() throws IOException {
		try {
			return this.session.get(this.sessionTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			throw new IOException(
					this.owner + ": no yamux session was established within " + this.sessionTimeout.toMillis() + " ms");
		}
		catch (ExecutionException ex) {
			throw new IOException(this.owner + ": " + ex.getCause().getMessage(), ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(this.owner + ": interrupted while waiting for the yamux session");
		}
	}

	/** Ends the session and closes every endpoint. */
	@Override
	public void close() {
		this.closed = true;
		for (ServerSocketChannel endpoint : this.endpoints) {
			StreamSplice.closeQuietly(endpoint);
		}
		this.endpoints.clear();
		YamuxSession established = sessionOrNull();
		this.session.completeExceptionally(new IOException("the broker multiplexer is closed"));
		if (established != null) {
			established.close();
		}
	}

}
