package io.pluginrpc.core.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pluginrpc.core.mux.BrokerMultiplexer;
import io.pluginrpc.core.tls.TlsIdentity;
import io.pluginrpc.core.transport.SocketDirectory;
import io.pluginrpc.core.transport.Transports;
import io.pluginrpc.proto.plugin.ConnInfo;
import io.pluginrpc.proto.plugin.GRPCBrokerGrpc;

/**
 * go-plugin's connection broker (spec section 4.3), the same on host and plugin: over the
 * single {@code plugin.GRPCBroker/StartStream} stream each side announces the sockets it
 * serves extra services on ({@link #acceptAndServe}) and looks up the ones the other side
 * announced ({@link #dial}). Ids are chosen by the application and travel inside its own
 * RPCs.
 * <p>
 * With a {@link BrokerMultiplexer} (go-plugin 1.6's {@code GRPCBrokerMultiplex}) nothing
 * is announced: a dial knocks for the id over the stream, waits for the acknowledgement
 * and then opens a yamux stream on the plugin's one connection; the side that serves the
 * id routes the next stream to it (see {@code io.pluginrpc.core.mux}).
 */
public final class GrpcBroker implements PluginBroker, AutoCloseable {

	/**
	 * How long go-plugin keeps an unclaimed announcement and how long a dial waits for
	 * one.
	 */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	private static final Logger logger = LoggerFactory.getLogger(GrpcBroker.class);

	private static final ScheduledExecutorService expiry = Executors
		.newSingleThreadScheduledExecutor(Transports.daemonThreads("plugin-broker-expiry"));

	/**
	 * Who owns this broker, as error messages start: "Plugin 'kv'" on a host, "This
	 * plugin" in a plugin.
	 */
	private final String owner;

	private final SocketDirectory sockets;

	private final TlsIdentity tls;

	private final Duration timeout;

	private final AtomicInteger ids = new AtomicInteger();

	private final Map<Integer, CompletableFuture<ConnInfo>> announced = new ConcurrentHashMap<>();

	private final List<Server> servers = new CopyOnWriteArrayList<>();

	private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();

	private final List<Path> socketFiles = new CopyOnWriteArrayList<>();

	private final CompletableFuture<StreamObserver<ConnInfo>> outbound = new CompletableFuture<>();

	/**
	 * go-plugin 1.6's broker multiplexing, or {@code null} for one socket per brokered
	 * server.
	 */
	private final BrokerMultiplexer multiplexer;

	/** Knocks sent and waiting for their acknowledgement, by id. */
	private final Map<Integer, CompletableFuture<ConnInfo>> knocks = new ConcurrentHashMap<>();

	private final StreamObserver<ConnInfo> receiver = new StreamObserver<>() {
		@Override
		public void onNext(ConnInfo info) {
			receive(info);
		}

		@Override
		public void onError(Throwable error) {
			logger.debug("{}: broker stream ended: {}", GrpcBroker.this.owner, error.toString());
		}

		@Override
		public void onCompleted() {
			logger.debug("{}: broker stream completed", GrpcBroker.this.owner);
		}
	};

	private volatile boolean closed;

	/**
	 * @param owner how messages name this broker's side, e.g. {@code Plugin 'kv'} or
	 * {@code This plugin}
	 * @param sockets directory for the broker's Unix sockets
	 * @param tls own mutual-TLS identity, or {@code null} for plaintext
	 * @param timeout how long to wait for and keep announcements
	 */
	public GrpcBroker(String owner, SocketDirectory sockets, TlsIdentity tls, Duration timeout) {
		this(owner, sockets, tls, timeout, null);
	}

	/**
	 * @param owner how messages name this broker's side, e.g. {@code Plugin 'kv'} or
	 * {@code This plugin}
	 * @param sockets directory for the broker's Unix sockets
	 * @param tls own mutual-TLS identity, or {@code null} for plaintext
	 * @param timeout how long to wait for and keep announcements, and for knock
	 * acknowledgements
	 * @param multiplexer the multiplexer of the plugin's connection, or {@code null}
	 * without multiplexing; {@link #close()} closes it (and so the session)
	 */
	public GrpcBroker(String owner, SocketDirectory sockets, TlsIdentity tls, Duration timeout,
			BrokerMultiplexer multiplexer) {
		this.owner = owner;
		this.sockets = sockets;
		this.tls = tls;
		this.timeout = timeout;
		this.multiplexer = multiplexer;
	}

	/**
	 * @return whether brokered connections ride on the plugin's one multiplexed
	 * connection
	 */
	public boolean isMultiplexed() {
		return this.multiplexer != null;
	}

	/**
	 * Attaches the broker to a stream the other side opened (the plugin side of
	 * {@code StartStream}).
	 * @param toPeer the response side of the call, where announcements go
	 * @return where the call's incoming messages must go
	 */
	public StreamObserver<ConnInfo> attach(StreamObserver<ConnInfo> toPeer) {
		if (!this.outbound.complete(toPeer)) {
			logger.warn("{}: a second broker stream was opened; keeping the first", this.owner);
		}
		return this.receiver;
	}

	/**
	 * Opens the broker stream, as a host does right after connecting to its plugin.
	 * @param stub a stub on the plugin's connection
	 */
	public void connect(GRPCBrokerGrpc.GRPCBrokerStub stub) {
		this.outbound.complete(stub.startStream(this.receiver));
	}

	/**
	 * @return the next id for {@link #acceptAndServe}, counting from 1 like go-plugin
	 */
	@Override
	public int nextId() {
		return this.ids.incrementAndGet();
	}

	/**
	 * Serves services on a new socket and announces it to the other side under
	 * {@code id}.
	 * @param id the id the other side will {@link #dial}
	 * @param services the services to serve
	 * @return the running server; stopped by {@link #close()} at the latest
	 */
	@Override
	public Server acceptAndServe(int id, BindableService... services) {
		checkOpen();
		// A Unix socket where our transport serves them, else loopback TCP (go-plugin's
		// broker on Windows).
		// Multiplexed, the server is never announced, only reached by the yamux session
		// through the JDK's own
		// Unix-domain channels, so it listens on a Unix socket with every transport.
		boolean unix = Transports.servesUnixSockets() || this.multiplexer != null;
		Path socket = unix ? this.sockets.nextSocket("broker-" + id + "-") : null;
		SocketAddress bind = unix ? Transports.unixSocketAddress(socket.toString())
				: new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
		NettyServerBuilder builder = Transports.serverBuilder(bind, this.tls);
		for (BindableService service : services) {
			builder.addService(service);
		}
		Server server = builder.build();
		try {
			server.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(this.owner + ": could not listen on broker "
					+ (unix ? "socket " + socket : "TCP port on " + InetAddress.getLoopbackAddress().getHostAddress()),
					ex);
		}
		this.servers.add(server);
		ConnInfo.Builder info = ConnInfo.newBuilder().setServiceId(id);
		if (unix) {
			this.sockets.secure(socket);
			this.socketFiles.add(socket);
			if (this.multiplexer != null) {
				// Multiplexed, the other side knocks for the id instead of dialling an
				// announced address.
				this.multiplexer.listen(id, socket);
				return server;
			}
			info.setNetwork("unix").setAddress(socket.toString());
		}
		else {
			info.setNetwork("tcp")
				.setAddress(Transports.tcpAddress((InetSocketAddress) server.getListenSockets().get(0)));
		}
		send(info.build());
		return server;
	}

	/**
	 * Connects to a service the other side announced under {@code id}, waiting for the
	 * announcement.
	 * @param id the id
	 * @return a channel to it; shut down by {@link #close()} at the latest
	 * @throws BrokerException if nothing is announced within the timeout or the address
	 * is unusable
	 */
	@Override
	public ManagedChannel dial(int id) throws BrokerException {
		checkOpen();
		if (this.multiplexer != null) {
			return dialMultiplexed(id);
		}
		CompletableFuture<ConnInfo> slot = this.announced.computeIfAbsent(id, (key) -> new CompletableFuture<>());
		ConnInfo info;
		try {
			info = slot.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			throw new BrokerException(
					this.owner + ": timeout waiting for connection info for broker id " + id + " (waited "
							+ this.timeout.toMillis() + " ms); the other side must announce it with AcceptAndServe");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BrokerException(this.owner + ": interrupted while waiting for broker id " + id);
		}
		catch (ExecutionException ex) {
			throw new BrokerException(this.owner + ": " + ex.getCause().getMessage());
		}
		finally {
			this.announced.remove(id, slot);
		}
		SocketAddress address;
		try {
			address = Transports.socketAddress(info.getNetwork(), info.getAddress());
		}
		catch (IllegalArgumentException ex) {
			throw new BrokerException(
					this.owner + ": broker id " + id + " announced an unusable address: " + ex.getMessage());
		}
		ManagedChannel channel = Transports.channelBuilder(address, this.tls).build();
		// Callers shut their channels down when done; forget those so long-lived brokers
		// do not grow.
		this.channels.removeIf(ManagedChannel::isShutdown);
		this.channels.add(channel);
		return channel;
	}

	/**
	 * Like go-plugin, the channel dials lazily: each connection attempt knocks and opens
	 * a stream, and a refused knock shows as an UNAVAILABLE call.
	 */
	private ManagedChannel dialMultiplexed(int id) throws BrokerException {
		Path endpoint;
		try {
			endpoint = this.multiplexer.dialEndpoint(id, this::knock);
		}
		catch (IOException ex) {
			throw new BrokerException(this.owner + ": could not open a local endpoint for multiplexed broker id " + id
					+ ": " + ex.getMessage());
		}
		ManagedChannel channel = new EndpointChannel(
				Transports.channelBuilder(Transports.unixSocketAddress(endpoint.toString()), this.tls).build(),
				() -> this.multiplexer.closeEndpoint(endpoint));
		this.channels.removeIf(ManagedChannel::isShutdown);
		this.channels.add(channel);
		return channel;
	}

	/** Sends a knock for {@code id} and waits for the other side's acknowledgement. */
	private void knock(int id) throws IOException {
		CompletableFuture<ConnInfo> ack = new CompletableFuture<>();
		this.knocks.put(id, ack);
		try {
			send(ConnInfo.newBuilder().setServiceId(id).setKnock(ConnInfo.Knock.newBuilder().setKnock(true)).build());
			ConnInfo reply = ack.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (!reply.getKnock().getKnock() || !reply.getKnock().getAck()) {
				throw new IOException(this.owner + ": knock for multiplexed broker id " + id
						+ " was answered without knock and ack set: " + reply.getKnock());
			}
			if (!reply.getKnock().getError().isEmpty()) {
				throw new IOException(this.owner + ": failed to knock for multiplexed broker id " + id + ": "
						+ reply.getKnock().getError());
			}
		}
		catch (TimeoutException ex) {
			throw new IOException(
					this.owner + ": timeout waiting for the acknowledgement of the knock for multiplexed broker id "
							+ id + " (waited " + this.timeout.toMillis() + " ms)");
		}
		catch (ExecutionException ex) {
			throw new IOException(this.owner + ": " + ex.getCause().getMessage(), ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(this.owner + ": interrupted while knocking for broker id " + id);
		}
		catch (IllegalStateException ex) {
			throw new IOException(ex.getMessage(), ex);
		}
		finally {
			this.knocks.remove(id, ack);
		}
	}

	private void receiveKnock(ConnInfo info) {
		int id = info.getServiceId();
		ConnInfo.Knock knock = info.getKnock();
		if (knock.getAck()) {
			CompletableFuture<ConnInfo> waiting = this.knocks.get(id);
			if (waiting != null) {
				waiting.complete(info);
			}
			else {
				logger.debug("{}: dropping a knock acknowledgement for broker id {} nobody waits for", this.owner, id);
			}
			return;
		}
		if (!knock.getKnock()) {
			logger.warn("{}: ignoring a broker message for id {} with a knock that is neither knock nor ack",
					this.owner, id);
			return;
		}
		if (this.multiplexer == null) {
			acknowledgeKnock(id, "gRPC broker multiplexing is not enabled on this side");
			return;
		}
		this.multiplexer.acceptKnock(id, (error) -> acknowledgeKnock(id, error));
	}

	private void acknowledgeKnock(int id, String error) {
		if (!error.isEmpty()) {
			logger.warn("{}: refusing a knock for broker id {}: {}", this.owner, id, error);
		}
		try {
			send(ConnInfo.newBuilder()
				.setServiceId(id)
				.setKnock(ConnInfo.Knock.newBuilder().setKnock(true).setAck(true).setError(error))
				.build());
		}
		catch (RuntimeException ex) {
			logger.warn("{}: could not acknowledge the knock for broker id {}: {}", this.owner, id, ex.getMessage());
		}
	}

	private void receive(ConnInfo info) {
		if (info.hasKnock()) {
			receiveKnock(info);
			return;
		}
		int id = info.getServiceId();
		CompletableFuture<ConnInfo> slot = this.announced.computeIfAbsent(id, (key) -> new CompletableFuture<>());
		if (!slot.complete(info)) {
			logger.debug("{}: dropping a second unclaimed announcement for broker id {}", this.owner, id);
			return;
		}
		// Like go-plugin, forget announcements nobody claims, so a late dial cannot use a
		// stale socket.
		expiry.schedule(() -> this.announced.remove(id, slot), this.timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void send(ConnInfo info) {
		StreamObserver<ConnInfo> toPeer;
		try {
			toPeer = this.outbound.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException | ExecutionException ex) {
			throw new IllegalStateException(this.owner + ": the broker stream is not open (the host opens it"
					+ " right after connecting); cannot announce broker id " + info.getServiceId());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while announcing broker id " + info.getServiceId(), ex);
		}
		synchronized (toPeer) {
			toPeer.onNext(info);
		}
	}

	private void checkOpen() {
		if (this.closed) {
			throw new IllegalStateException(this.owner + ": the broker is closed");
		}
	}

	/** Stops every broker server and channel and ends the stream. */
	@Override
	public void close() {
		this.closed = true;
		for (ManagedChannel channel : this.channels) {
			channel.shutdownNow();
		}
		for (Server server : this.servers) {
			server.shutdown();
		}
		for (Server server : this.servers) {
			try {
				if (!server.awaitTermination(1, TimeUnit.SECONDS)) {
					server.shutdownNow();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				server.shutdownNow();
			}
		}
		StreamObserver<ConnInfo> toPeer = this.outbound.getNow(null);
		if (toPeer != null) {
			synchronized (toPeer) {
				try {
					toPeer.onCompleted();
				}
				catch (RuntimeException ex) {
					// Already cancelled by the peer.
				}
			}
		}
		this.knocks.values()
			.forEach((ack) -> ack
				.completeExceptionally(new IllegalStateException(this.owner + ": the broker is closed")));
		this.announced.values()
			.forEach((slot) -> slot.completeExceptionally(
					Status.UNAVAILABLE.withDescription("the broker is closed").asRuntimeException()));
		for (Path socket : this.socketFiles) {
			try {
				Files.deleteIfExists(socket);
			}
			catch (IOException ex) {
				// The socket directory is removed as a whole afterwards.
			}
		}
		if (this.multiplexer != null) {
			this.multiplexer.close();
		}
	}

}
