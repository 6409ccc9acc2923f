package io.pluginrpc.plugin;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pluginrpc.core.Platform;
import io.pluginrpc.core.PluginEnvironment;
import io.pluginrpc.core.broker.GrpcBroker;
import io.pluginrpc.core.broker.GrpcBrokerService;
import io.pluginrpc.core.broker.PluginBroker;
import io.pluginrpc.core.handshake.HandshakeLine;
import io.pluginrpc.core.mux.BrokerMultiplexer;
import io.pluginrpc.core.mux.MultiplexedListener;
import io.pluginrpc.core.tls.AutoMtlsCertificate;
import io.pluginrpc.core.tls.TlsIdentity;
import io.pluginrpc.core.transport.SocketDirectory;
import io.pluginrpc.core.transport.Transports;

/**
 * The plugin's gRPC server, as go-plugin's {@code Serve} runs it (spec section 6.2):
 * AutoMTLS when the host sent {@code PLUGIN_CLIENT_CERT}, a Unix socket directly in the
 * host's {@code PLUGIN_UNIX_SOCKET_DIR} or else in a fresh private directory (or loopback
 * TCP in the host's port range), the standard services (health {@code plugin}=SERVING,
 * controller, broker, reflection) beside the application's, and the handshake line that
 * tells the host where to connect. When the host asks for go-plugin 1.6's broker
 * multiplexing ({@code PLUGIN_MULTIPLEX_GRPC=true}), the announced listener carries one
 * yamux session whose streams reach the gRPC server, which then listens on a private
 * socket, and the brokered servers (see {@code io.pluginrpc.core.mux}); the handshake
 * line says {@code true} in its 7th field. No Spring here: the Spring glue only feeds it
 * services.
 */
public final class PluginServer implements AutoCloseable {

	/** Health service name go-plugin hosts ping. */
	public static final String HEALTH_SERVICE = "plugin";

	private static final Logger logger = LoggerFactory.getLogger(PluginServer.class);

	private static final String SOCKET_NAME = "plugin.sock";

	/**
	 * Where the gRPC server listens when the announced listener is the multiplexed one.
	 */
	private static final String MULTIPLEXED_SERVER_SOCKET_NAME = "grpc.sock";

	private final PluginServerSettings settings;

	private final TlsIdentity tls;

	private final byte[] serverCertificate;

	private final SocketDirectory sockets;

	private final GrpcBroker broker;

	private final HealthStatusManager health;

	/** Broker multiplexing when the host asked for it, else {@code null}. */
	private final BrokerMultiplexer multiplexer;

	/**
	 * Calls run on the event loop that read them instead of grpc-java's executor
	 * (setDirectExecutor).
	 */
	private volatile boolean directExecutor;

	private volatile MultiplexedListener multiplexedListener;

	private volatile Server server;

	private volatile HandshakeLine handshake;

	private PluginServer(PluginServerSettings settings, TlsIdentity tls, byte[] serverCertificate,
			SocketDirectory sockets, HealthStatusManager health) {
		this.settings = settings;
		this.tls = tls;
		this.serverCertificate = serverCertificate;
		this.sockets = sockets;
		this.health = health;
		this.multiplexer = multiplexRequested(settings) ? new BrokerMultiplexer("This plugin", sockets,
				sockets.socket(MULTIPLEXED_SERVER_SOCKET_NAME), settings.brokerTimeout()) : null;
		this.broker = new GrpcBroker("This plugin", sockets, tls, settings.brokerTimeout(), this.multiplexer);
	}

	/**
	 * Like go-plugin, multiplexing is on when the variable parses as a true Go boolean.
	 */
	private static boolean multiplexRequested(PluginServerSettings settings) {
		return Boolean.TRUE
			.equals(HandshakeLine.parseGoBool(settings.environment().get(PluginEnvironment.MULTIPLEX_GRPC)));
	}

	/**
	 * @return whether the host asked for broker multiplexing and this server multiplexes
	 */
	public boolean isMultiplexed() {
		return this.multiplexer != null;
	}

	/**
	 * Sets up TLS, the socket directory and the broker, so application code can hold the
	 * broker before the server starts; an AutoMTLS certificate is generated now when the
	 * host asks for one.
	 * @param settings how to serve
	 * @param health the health manager whose {@code plugin} status the host pings
	 * @return the prepared server
	 * @throws PluginStartupException if {@code PLUGIN_CLIENT_CERT} holds no usable
	 * certificate
	 */
	public static PluginServer prepare(PluginServerSettings settings, HealthStatusManager health) {
		return prepare(settings, health, new EarlyCertificate());
	}

	/**
	 * Sets up TLS, the socket directory and the broker, so application code can hold the
	 * broker before the server starts.
	 * @param settings how to serve
	 * @param health the health manager whose {@code plugin} status the host pings
	 * @param certificates the plugin's AutoMTLS certificate, possibly started early
	 * @return the prepared server
	 * @throws PluginStartupException if {@code PLUGIN_CLIENT_CERT} holds no usable
	 * certificate
	 */
	public static PluginServer prepare(PluginServerSettings settings, HealthStatusManager health,
			EarlyCertificate certificates) {
		TlsIdentity tls = null;
		byte[] certificate = null;
		String clientCert = settings.environment().get(PluginEnvironment.CLIENT_CERT);
		boolean hostAsksForAutoMtls = clientCert != null && !clientCert.isEmpty();
		if (settings.tls() != null) {
			// go-plugin's TLSProvider: the plugin's own configuration wins over AutoMTLS,
			// and the handshake line
			// carries no certificate (a Go host would otherwise pin it in place of its
			// configured trust).
			if (hostAsksForAutoMtls) {
				logger.warn(
						"The host asked for AutoMTLS ({} is set), but this plugin serves with its configured TLS, as "
								+ "go-plugin's TLSProvider does; the host must trust the plugin's certificate",
						PluginEnvironment.CLIENT_CERT);
			}
			tls = settings.tls();
		}
		else if (hostAsksForAutoMtls && settings.debug()) {
			logger.warn("Debug mode: ignoring {} (no host launched this plugin, so there is no AutoMTLS to answer)",
					PluginEnvironment.CLIENT_CERT);
		}
		else if (hostAsksForAutoMtls) {
			X509Certificate hostCertificate;
			try {
				hostCertificate = AutoMtlsCertificate.parsePem(clientCert);
			}
			catch (CertificateException ex) {
				throw new PluginStartupException("AutoMTLS: " + PluginEnvironment.CLIENT_CERT
						+ " should hold the host's PEM certificate, but " + ex.getMessage(), ex);
			}
			AutoMtlsCertificate own = certificates.take();
			tls = TlsIdentity.autoMtls(own, hostCertificate);
			certificate = own.der();
		}
		// Broker sockets live in the socket directory even when the main server uses TCP.
		SocketDirectory sockets;
		try {
			sockets = SocketDirectory.forPlugin(settings.environment().get(PluginEnvironment.UNIX_SOCKET_DIR),
					settings.environment().get(PluginEnvironment.UNIX_SOCKET_GROUP));
		}
		catch (java.io.UncheckedIOException ex) {
			throw new PluginStartupException(ex.getMessage(), ex);
		}
		return new PluginServer(settings, tls, certificate, sockets, health);
	}

	/**
	 * @return the broker, usable once the host has connected
	 */
	public PluginBroker broker() {
		return this.broker;
	}

	/**
	 * @return whether AutoMTLS is on
	 */
	public boolean isAutoMtls() {
		return this.serverCertificate != null;
	}

	/**
	 * @return whether the plugin serves TLS, AutoMTLS or its configured certificate
	 */
	public boolean isTls() {
		return this.tls != null;
	}

	/**
	 * Runs every call on the event loop thread that read it instead of handing it to
	 * grpc-java's executor and back: one thread switch less on each side of a call, about
	 * half of a plugin's CPU time per unary call (bench/NOTES.md). Only for services that
	 * never block (no I/O, no locks held long, no calls to the host or through the broker
	 * from inside a call): a blocked event loop stops every call on its connections.
	 * Takes effect at {@link #start}.
	 * @param directExecutor whether calls run on the event loop
	 */
	public void setDirectExecutor(boolean directExecutor) {
		this.directExecutor = directExecutor;
	}

	/**
	 * Starts serving and returns the handshake line to print.
	 * @param version the negotiated application protocol version
	 * @param services the application's services for that version, plus any other service
	 * to expose
	 * @param shutdown what {@code GRPCController/Shutdown} runs
	 * @return the handshake line
	 * @throws PluginStartupException if no listener could be opened
	 */
	public synchronized HandshakeLine start(int version, List<ServerServiceDefinition> services, Runnable shutdown) {
		if (this.server != null) {
			throw new IllegalStateException("The plugin server is already started");
		}
		Set<String> names = services.stream()
			.map((service) -> service.getServiceDescriptor().getName())
			.collect(Collectors.toSet());
		List<BindableService> standard = new java.util.ArrayList<>();
		if (!names.contains("grpc.health.v1.Health")) {
			standard.add(this.health.getHealthService());
		}
		if (!names.contains("grpc.reflection.v1.ServerReflection")) {
			standard.add(ProtoReflectionServiceV1.newInstance());
		}
		standard.add(new GrpcBrokerService(this.broker));
		standard.add(new GrpcControllerService(shutdown));
		this.health.setStatus(HEALTH_SERVICE, ServingStatus.SERVING);
		this.health.setStatus("", ServingStatus.SERVING);
		boolean unix = "unix".equals(this.settings.network());
		if (unix && !Transports.servesUnixSockets()) {
			// macOS, Windows and the portable mode: loopback TCP, as go-plugin serves on
			// Windows (README, "Platforms").
			logger.info("No native Unix socket transport here ({}{}): serving on loopback TCP instead",
					System.getProperty("os.name"), Platform.isPortable() ? ", portable mode" : "");
			unix = false;
		}
		if (this.multiplexer != null) {
			startMultiplexed(version, services, standard);
		}
		else if (unix) {
			// In the host's PLUGIN_UNIX_SOCKET_DIR the name is go-plugin's
			// plugin<digits>, beside other sockets.
			Path socket = this.sockets.isShared() ? this.sockets.nextSocket("plugin")
					: this.sockets.socket(SOCKET_NAME);
			this.server = startOn(Transports.unixSocketAddress(socket.toString()), services, standard);
			if (this.server == null) {
				throw new PluginStartupException("Could not listen on Unix socket " + socket);
			}
			this.sockets.secure(socket);
			this.handshake = handshake(version, "unix", socket.toString());
		}
		else {
			int[] range = portRange();
			InetAddress loopback = InetAddress.getLoopbackAddress();
			for (int port = range[0]; port <= range[1] && this.server == null; port++) {
				this.server = startOn(new InetSocketAddress(loopback, port), services, standard);
			}
			if (this.server == null) {
				throw new PluginStartupException("Could not bind the plugin TCP listener: every port from " + range[0]
						+ " to " + range[1] + " (" + PluginEnvironment.MIN_PORT + ".." + PluginEnvironment.MAX_PORT
						+ ") on " + loopback.getHostAddress() + " is taken");
			}
			InetSocketAddress bound = (InetSocketAddress) this.server.getListenSockets().get(0);
			this.handshake = handshake(version, "tcp", Transports.tcpAddress(bound));
		}
		logger.info("plugin address network={} address={} tls={} multiplexed={}", this.handshake.network(),
				this.handshake.address(), isAutoMtls() ? "auto-mtls" : isTls() ? "mtls" : "none", isMultiplexed());
		return this.handshake;
	}

	/**
	 * The gRPC server listens on a private socket; the announced listener (Unix socket or
	 * TCP port, as without multiplexing) takes the host's one connection and hands its
	 * streams to the multiplexer.
	 */
	private void startMultiplexed(int version, List<ServerServiceDefinition> services, List<BindableService> standard) {
		Path internal = this.sockets.socket(MULTIPLEXED_SERVER_SOCKET_NAME);
		this.server = startOn(Transports.unixSocketAddress(internal.toString()), services, standard);
		if (this.server == null) {
			throw new PluginStartupException("Could not listen on Unix socket " + internal);
		}
		this.sockets.secure(internal);
		if ("unix".equals(this.settings.network())) {
			Path socket = this.sockets.socket(SOCKET_NAME);
			try {
				this.multiplexedListener = MultiplexedListener.unix(socket);
			}
			catch (IOException ex) {
				throw new PluginStartupException("Could not listen on Unix socket " + socket + ": " + ex.getMessage());
			}
			this.sockets.secure(socket);
			this.handshake = handshake(version, "unix", socket.toString());
		}
		else {
			int[] range = portRange();
			InetAddress loopback = InetAddress.getLoopbackAddress();
			for (int port = range[0]; port <= range[1] && this.multiplexedListener == null; port++) {
				try {
					this.multiplexedListener = MultiplexedListener.tcp(new InetSocketAddress(loopback, port));
				}
				catch (IOException ex) {
					logger.debug("Could not listen on port {}: {}", port, ex.toString());
				}
			}
			if (this.multiplexedListener == null) {
				throw new PluginStartupException("Could not bind the plugin TCP listener: every port from " + range[0]
						+ " to " + range[1] + " on " + loopback.getHostAddress() + " is taken");
			}
			InetSocketAddress bound;
			try {
				bound = (InetSocketAddress) this.multiplexedListener.address();
			}
			catch (IOException ex) {
				throw new PluginStartupException("The plugin TCP listener closed at once: " + ex.getMessage());
			}
			this.handshake = handshake(version, "tcp", Transports.tcpAddress(bound));
		}
		this.multiplexedListener.serve("This plugin", this.multiplexer);
	}

	private Server startOn(java.net.SocketAddress address, List<ServerServiceDefinition> services,
			List<BindableService> standard) {
		NettyServerBuilder builder = Transports.serverBuilder(address, this.tls);
		if (this.directExecutor) {
			builder.directExecutor();
		}
		services.forEach(builder::addService);
		standard.forEach(builder::addService);
		Server candidate = builder.build();
		try {
			return candidate.start();
		}
		catch (IOException ex) {
			logger.debug("Could not listen on {}: {}", address, ex.toString());
			candidate.shutdownNow();
			return null;
		}
	}

	private HandshakeLine handshake(int version, String network, String address) {
		String multiplex = this.settings.environment().get(PluginEnvironment.MULTIPLEX_GRPC);
		// Like go-plugin: field 7 only when the variable is set (a host that sets it
		// splits all fields), and
		// always 'true' (multiplexing is supported; it is used when the value parses as
		// true). A plugin in
		// debug mode has no host to answer.
		Boolean muxField = (multiplex != null && !multiplex.isEmpty() && !this.settings.debug()) ? Boolean.TRUE : null;
		return new HandshakeLine(HandshakeLine.CORE_PROTOCOL_VERSION, version, network, address,
				HandshakeLine.PROTOCOL_GRPC, this.serverCertificate, muxField);
	}

	private int[] portRange() {
		String min = this.settings.environment().get(PluginEnvironment.MIN_PORT);
		String max = this.settings.environment().get(PluginEnvironment.MAX_PORT);
		int low = parsePort(PluginEnvironment.MIN_PORT, min);
		int high = parsePort(PluginEnvironment.MAX_PORT, max);
		if (low > high) {
			throw new PluginStartupException(PluginEnvironment.MIN_PORT + " value of " + low + " is greater than "
					+ PluginEnvironment.MAX_PORT + " value of " + high);
		}
		return new int[] { low, high };
	}

	private static int parsePort(String name, String value) {
		if (value == null || value.isEmpty()) {
			return 0;
		}
		try {
			int port = Integer.parseInt(value);
			if (port < 0 || port > 65535) {
				throw new NumberFormatException("out of range");
			}
			return port;
		}
		catch (NumberFormatException ex) {
			throw new PluginStartupException(
					"couldn't get value from " + name + ": expected a port number 0-65535, but got '" + value + "'");
		}
	}

	/**
	 * Sets what the {@code plugin} health service reports, so hosts see the application's
	 * own health.
	 * @param serving whether the plugin is fit to serve
	 */
	public void setServing(boolean serving) {
		if (this.server != null && !this.server.isShutdown()) {
			this.health.setStatus(HEALTH_SERVICE, serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
		}
	}

	/**
	 * Blocks until the server has stopped.
	 * @throws InterruptedException if interrupted while waiting
	 */
	public void awaitTermination() throws InterruptedException {
		Server running = this.server;
		if (running != null) {
			running.awaitTermination();
		}
	}

	/**
	 * @return how a host attaches to this plugin once started, for debug mode
	 * (go-plugin's {@code ReattachConfig} with {@code Test} set)
	 * @throws IllegalStateException before {@link #start}
	 */
	public ReattachInfo reattachInfo() {
		HandshakeLine started = this.handshake;
		if (started == null) {
			throw new IllegalStateException("The plugin server is not started yet");
		}
		return new ReattachInfo(started.network(), started.address(), ProcessHandle.current().pid(),
				started.appVersion());
	}

	/**
	 * @return the handshake line once started
	 */
	public HandshakeLine handshake() {
		return this.handshake;
	}

	/**
	 * @return the socket directory (also holds broker sockets): the host's
	 * PLUGIN_UNIX_SOCKET_DIR or a private one
	 */
	public Path socketDirectory() {
		return this.sockets.path();
	}

	/**
	 * Stops serving: health goes NOT_SERVING, in-flight calls get the grace period, then
	 * the broker and the socket directory go. Safe to call more than once.
	 */
	@Override
	public synchronized void close() {
		this.health.setStatus(HEALTH_SERVICE, ServingStatus.NOT_SERVING);
		MultiplexedListener listener = this.multiplexedListener;
		if (listener != null) {
			listener.close();
		}
		Server running = this.server;
		if (running != null) {
			running.shutdown();
			try {
				if (!running.awaitTermination(this.settings.shutdownGracePeriod().toMillis(), TimeUnit.MILLISECONDS)) {
					running.shutdownNow();
					running.awaitTermination(1, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				running.shutdownNow();
			}
		}
		this.broker.close();
		if (this.multiplexer != null) {
			this.multiplexer.close();
		}
		this.sockets.close();
	}

}
