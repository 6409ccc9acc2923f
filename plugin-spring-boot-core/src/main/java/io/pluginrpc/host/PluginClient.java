package io.pluginrpc.host;

import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import javax.net.ssl.SSLHandshakeException;

import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pluginrpc.core.PluginEnvironment;
import io.pluginrpc.core.broker.GrpcBroker;
import io.pluginrpc.core.broker.PluginBroker;
import io.pluginrpc.core.handshake.HandshakeException;
import io.pluginrpc.core.handshake.HandshakeLine;
import io.pluginrpc.core.tls.AutoMtlsCertificate;
import io.pluginrpc.core.tls.PreparedClientTls;
import io.pluginrpc.core.tls.TlsIdentity;
import io.pluginrpc.core.transport.SocketDirectory;
import io.pluginrpc.core.transport.SocketFile;
import io.pluginrpc.core.transport.Transports;
import io.pluginrpc.logging.PluginLogForwarder;
import io.pluginrpc.proto.plugin.GRPCBrokerGrpc;
import io.pluginrpc.proto.plugin.GRPCControllerGrpc;
import io.pluginrpc.proto.plugin.GRPCStdioGrpc;

/**
 * A go-plugin host's handle on one plugin (go-plugin's {@code Client}): {@link #start()} verifies,
 * launches, reads the handshake, connects and pings; {@link #stop()} asks the plugin to shut down, waits,
 * then kills it and its descendants and removes what it left. Stubs go on {@link #channel()}, which
 * follows the current connection.
 */
public class PluginClient {

	private static final Logger logger = LoggerFactory.getLogger(PluginClient.class);

	private static final ScheduledExecutorService RESTARTER = Executors
		.newSingleThreadScheduledExecutor(Transports.daemonThreads("plugin-restarter"));

	private final PluginClientConfig config;

	private final PluginLogForwarder log;

	private final PluginChannel channel;

	private final RestartPolicy restartPolicy;

	private final PluginEventListener events;

	private final AtomicInteger restarts = new AtomicInteger();

	private final Object stateChanged = new Object();

	private volatile PluginState state = PluginState.STOPPED;

	private volatile ScheduledFuture<?> pendingRestart;

	private volatile Integer lastExitStatus;

	private volatile Connection connection;

	private volatile String lastFailure;

	/** Everything one launch owns; replaced as a whole on restart. {@code process} is null when reattached. */
	private record Connection(PluginProcess process, HandshakeLine handshake, ManagedChannel channel, GrpcBroker broker,
			SocketDirectory sockets, Instant started, String tlsMode) {
	}

	/** @param config how to launch and reach the plugin; no restarts, no events */
	public PluginClient(PluginClientConfig config) {
		this(config, RestartPolicy.NEVER, PluginEventListener.NONE);
	}

	/**
	 * @param config how to launch and reach the plugin
	 * @param restartPolicy what to do when the plugin exits on its own
	 * @param events told what happens, for metrics
	 */
	public PluginClient(PluginClientConfig config, RestartPolicy restartPolicy, PluginEventListener events) {
		this.config = config;
		this.restartPolicy = restartPolicy;
		this.events = events;
		this.log = new PluginLogForwarder(config.name(), (level) -> events.logLine(config.name(), level));
		if (config.autoMtls()) {
			CertificateSupply.prefetch();
		}
		this.channel = new PluginChannel(config.name(), this::currentChannel,
				() -> ((this.state == PluginState.FAILED || this.state == PluginState.RESTARTING) && this.lastFailure != null)
						? this.state + ": " + this.lastFailure : this.state.name(),
				() -> {
					Connection current = this.connection;
					return (current != null) ? current.handshake().address() : null;
				});
	}

	/**
	 * Launches and connects the plugin; a no-op if it is already running.
	 * @throws PluginStartException with a message naming the plugin, what was expected and what happened
	 */
	public synchronized void start() {
		if (this.state == PluginState.RUNNING) {
			return;
		}
		setState(PluginState.STARTING);
		Instant begin = Instant.now();
		SocketDirectory sockets = null;
		PluginProcess process = null;
		HandshakeLine handshake = null;
		try {
			if (this.config.reattach() != null) {
				sockets = socketDirectory();
				reattach(this.config.reattach(), sockets, begin);
				return;
			}
			if (this.config.checksum() != null) {
				Path executable = ChecksumVerifier.resolveExecutable(this.config.name(), this.config.command().get(0),
						this.config.workingDirectory());
				ChecksumVerifier.verify(this.config.name(), this.config.checksum(), executable);
			}
			PreparedClientTls prepared = this.config.autoMtls() ? CertificateSupply.take() : null;
			AutoMtlsCertificate own = (prepared != null) ? prepared.certificate() : null;
			sockets = socketDirectory();
			// A panic seen from the previous process must not turn the new one's lines into errors.
			this.log.newProcess();
			process = PluginProcess.start(this.config, environment(own, sockets), this.log);
			handshake = handshake(process, begin);
			guardSocket(handshake);
			this.events.handshake(this.config.name(), Duration.between(begin, Instant.now()));
			TlsIdentity tls = tls(own, handshake);
			SslContext context = (prepared != null)
					? prepared.pin("Plugin '" + this.config.name() + "'", tls.trusted().get(0)) : null;
			Connection connection = connect(process, handshake, tls, context, sockets,
					(tls == null) ? "plaintext" : (own != null) ? "auto-mtls" : "mtls", begin);
			this.events.started(this.config.name(), Duration.between(begin, Instant.now()));
			PluginProcess started = process;
			process.onExit().thenRun(() -> exited(started));
			logger.info("Plugin '{}' started: pid {}, protocol version {}, {} {} ({}) in {} ms", this.config.name(),
					process.pid(), handshake.appVersion(), handshake.network(), handshake.address(), connection.tlsMode(),
					Duration.between(begin, Instant.now()).toMillis());
		}
		catch (RuntimeException ex) {
			PluginStartException failure = (ex instanceof PluginStartException known) ? known
					: new PluginStartException(this.config.name(), PluginStartException.Reason.CONNECT,
							"Plugin '" + this.config.name() + "': " + ex.getMessage(), ex);
			failedStart(failure, process, sockets, handshake);
			throw failure;
		}
	}

	/**
	 * Dials the plugin, checks its health and opens the broker and stdio streams, as go-plugin's host does
	 * right after the handshake; the plugin is RUNNING afterwards.
	 */
	private Connection connect(PluginProcess process, HandshakeLine handshake, TlsIdentity tls, SslContext preparedContext,
			SocketDirectory sockets, String tlsMode, Instant begin) {
		SocketAddress address = Transports.socketAddress(handshake.network(), handshake.address());
		ManagedChannel managed = ((preparedContext != null) ? Transports.channelBuilderWithContext(address, preparedContext)
				: Transports.channelBuilder(address, tls))
			.build();
		GrpcBroker broker = new GrpcBroker("Plugin '" + this.config.name() + "'", sockets, tls, GrpcBroker.DEFAULT_TIMEOUT);
		Connection connection = new Connection(process, handshake, managed, broker, sockets, Instant.now(), tlsMode);
		this.connection = connection;
		ping(connection, remaining(begin));
		broker.connect(GRPCBrokerGrpc.newStub(managed));
		new PluginStdioForwarder(this.config.name()).follow(GRPCStdioGrpc.newStub(managed));
		this.lastFailure = null;
		setState(PluginState.RUNNING);
		return connection;
	}

	private void failedStart(RuntimeException ex, PluginProcess process, SocketDirectory sockets, HandshakeLine handshake) {
		this.lastFailure = ex.getMessage();
		Connection failed = this.connection;
		this.connection = null;
		if (failed != null) {
			release(failed);
		}
		else {
			// Before the connection exists, the process, its socket and our directory are all there is to release.
			if (process != null) {
				process.destroyTree();
				if (handshake != null) {
					removeLeftSocket(handshake);
				}
			}
			if (sockets != null) {
				closeSocketDirectory(sockets);
			}
		}
		setState(PluginState.FAILED);
		this.events.startFailed(this.config.name(),
				(ex instanceof PluginStartException failure) ? failure.getReason() : PluginStartException.Reason.CONNECT);
	}

	/** A fresh private directory, removed by the orphan guard if this JVM dies before {@link #release}. */
	private SocketDirectory socketDirectory() {
		String base = (this.config.socketDirectory() != null) ? this.config.socketDirectory().toString() : null;
		SocketDirectory sockets = SocketDirectory.create(base, null);
		ManagedPlugins.registerPath(sockets.path(), true);
		return sockets;
	}

	private static void closeSocketDirectory(SocketDirectory sockets) {
		sockets.close();
		ManagedPlugins.unregisterPath(sockets.path());
	}

	/**
	 * A plugin killed before it can clean up leaves its socket (go-plugin#119): go-plugin 1.0.1 puts it in
	 * {@code $TMPDIR}, outside our directory, so the socket is registered for removal on its own.
	 */
	private static void guardSocket(HandshakeLine handshake) {
		Path socket = unixSocket(handshake);
		if (socket != null) {
			ManagedPlugins.registerPath(socket, false);
		}
	}

	private static Path unixSocket(HandshakeLine handshake) {
		if (!"unix".equals(handshake.network())) {
			return null;
		}
		try {
			Path socket = Path.of(handshake.address());
			return socket.isAbsolute() ? socket.normalize() : null;
		}
		catch (java.nio.file.InvalidPathException ex) {
			return null;
		}
	}

	private void setState(PluginState state) {
		synchronized (this.stateChanged) {
			this.state = state;
			this.stateChanged.notifyAll();
		}
	}

	/** Connects to a plugin someone else started; it is never killed (go-plugin#320). */
	private void reattach(ReattachConfig reattach, SocketDirectory sockets, Instant begin) {
		if (reattach.pid() > 0 && ProcessHandle.of(reattach.pid()).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE) {
			throw new PluginStartException(this.config.name(), PluginStartException.Reason.CONNECT, "Plugin '"
					+ this.config.name() + "': reattachment process not found: no process with pid " + reattach.pid(), null);
		}
		HandshakeLine handshake = new HandshakeLine(HandshakeLine.CORE_PROTOCOL_VERSION, reattach.protocolVersion(),
				reattach.network(), reattach.address(), HandshakeLine.PROTOCOL_GRPC, null, null);
		TlsIdentity tls = this.config.tls();
		Connection connection = connect(null, handshake, tls, null, sockets, (tls == null) ? "plaintext" : "mtls", begin);
		if (reattach.pid() > 0) {
			ProcessHandle.of(reattach.pid()).ifPresent((process) -> process.onExit().thenRun(() -> {
				if (this.connection == connection && this.state == PluginState.RUNNING) {
					this.lastFailure = "Reattached plugin '" + this.config.name() + "' (pid " + reattach.pid() + ") exited";
					setState(PluginState.FAILED);
					logger.error(this.lastFailure);
				}
			}));
		}
		logger.info("Plugin '{}' reattached: pid {}, protocol version {}, {} {}", this.config.name(), reattach.pid(),
				reattach.protocolVersion(), reattach.network(), reattach.address());
	}

	private ManagedChannel currentChannel() {
		if (this.config.lazy() && this.state == PluginState.STOPPED && this.connection == null) {
			try {
				start();
			}
			catch (PluginStartException ex) {
				// The call fails with UNAVAILABLE carrying this reason (see PluginChannel).
				logger.error(ex.getMessage());
			}
		}
		if (!this.restartPolicy.callWait().isZero()
				&& (this.state == PluginState.STARTING || this.state == PluginState.RESTARTING)) {
			awaitRunning(this.restartPolicy.callWait());
		}
		Connection current = this.connection;
		return (current != null && this.state == PluginState.RUNNING) ? current.channel() : null;
	}

	private Map<String, String> environment(AutoMtlsCertificate own, SocketDirectory sockets) {
		Map<String, String> env = new LinkedHashMap<>();
		// Nothing is inherited: the configured variables, minus any PLUGIN_* that could confuse the plugin,
		// then the protocol's own.
		this.config.environment().forEach((key, value) -> {
			if (!key.startsWith(PluginEnvironment.PREFIX)) {
				env.put(key, value);
			}
		});
		env.put(this.config.cookieKey(), this.config.cookieValue());
		env.put(PluginEnvironment.MIN_PORT, Integer.toString(this.config.minPort()));
		env.put(PluginEnvironment.MAX_PORT, Integer.toString(this.config.maxPort()));
		env.put(PluginEnvironment.PROTOCOL_VERSIONS,
				new TreeSet<>(this.config.versions()).stream().map(String::valueOf).collect(Collectors.joining(",")));
		env.put(PluginEnvironment.UNIX_SOCKET_DIR, sockets.path().toString());
		if (own != null) {
			env.put(PluginEnvironment.CLIENT_CERT, own.pem());
		}
		return env;
	}

	private HandshakeLine handshake(PluginProcess process, Instant begin) {
		try {
			String line = process.awaitHandshakeLine(remaining(begin), this.config.startTimeout());
			return HandshakeLine.parse(this.config.name(), line, this.config.versions());
		}
		catch (HandshakeException ex) {
			String detail = ex.getMessage();
			if (ex.getReason() == HandshakeException.Reason.UNRECOGNIZED) {
				detail += process.recentStderr();
			}
			throw new PluginStartException(this.config.name(), PluginStartException.Reason.HANDSHAKE, detail, ex);
		}
	}

	private TlsIdentity tls(AutoMtlsCertificate own, HandshakeLine handshake) {
		X509Certificate pluginCertificate;
		try {
			pluginCertificate = handshake.certificate();
		}
		catch (HandshakeException ex) {
			throw new PluginStartException(this.config.name(), PluginStartException.Reason.HANDSHAKE, ex.getMessage(), ex);
		}
		if (own != null) {
			if (pluginCertificate == null) {
				throw new PluginStartException(this.config.name(), PluginStartException.Reason.HANDSHAKE, "Plugin '"
						+ this.config.name() + "': AutoMTLS is on, but the plugin sent no certificate in its handshake line"
						+ " (it ignored " + PluginEnvironment.CLIENT_CERT + "); set plugins." + this.config.name()
						+ ".auto-mtls=false for plugins without AutoMTLS support", null);
			}
			return TlsIdentity.autoMtls(own, pluginCertificate);
		}
		if (pluginCertificate != null && this.config.tls() == null) {
			// A plaintext connection to a TLS server can only be refused: say why before trying.
			throw new PluginStartException(this.config.name(), PluginStartException.Reason.HANDSHAKE, "Plugin '"
					+ this.config.name() + "': the plugin serves TLS (its handshake line carries a certificate), but the host"
					+ " would connect in plaintext: auto-mtls is off and no tls is configured; set plugins."
					+ this.config.name() + ".auto-mtls=true or configure plugins." + this.config.name() + ".tls", null);
		}
		return this.config.tls();
	}

	/**
	 * Checks health service {@code plugin} as go-plugin does: the plugin listens before it prints its
	 * handshake line, so the call does not wait for the connection to become ready; a socket nobody
	 * listens on or a TLS mismatch fails at once with the connection's error instead of at the start
	 * deadline. The call also ends as soon as a launched plugin's process exits, naming its exit status.
	 */
	private void ping(Connection connection, Duration timeout) {
		Context.CancellableContext call = Context.current().withCancellation();
		PluginProcess process = connection.process();
		if (process != null) {
			process.onExit().thenRun(() -> call.cancel(new PluginExitedException(process.exitValue())));
		}
		try {
			ServingStatus status = call.call(() -> HealthGrpc.newBlockingStub(connection.channel())
				.withDeadlineAfter(Math.max(1000, timeout.toMillis()), TimeUnit.MILLISECONDS)
				.check(HealthCheckRequest.newBuilder().setService("plugin").build())
				.getStatus());
			if (status != ServingStatus.SERVING) {
				throw new PluginStartException(this.config.name(), PluginStartException.Reason.CONNECT,
						"Plugin '" + this.config.name() + "': health service 'plugin' is " + status + ", expected SERVING", null);
			}
		}
		catch (StatusRuntimeException ex) {
			boolean unreachable = isConnectFailure(ex.getStatus().getCause());
			// A plugin that exits right after its handshake line takes its socket along: its exit status says
			// more than the refused connection, so give the exit a moment to be noticed.
			if (process != null && unreachable && process.waitFor(Duration.ofMillis(200))) {
				call.cancel(new PluginExitedException(process.exitValue()));
			}
			if (call.cancellationCause() instanceof PluginExitedException exited) {
				throw new PluginStartException(this.config.name(), PluginStartException.Reason.CONNECT,
						"Plugin '" + this.config.name() + "': the plugin exited with status " + exited.status
								+ " after its handshake line, before answering the health check of service 'plugin' on "
								+ connection.handshake().network() + " " + connection.handshake().address()
								+ process.recentStderr(),
						ex);
			}
			String hint = (ex.getStatus().getCode() == Status.Code.UNAVAILABLE && !unreachable
					&& connection.tlsMode().equals("plaintext")) ? " (if the plugin serves TLS, configure auto-mtls or tls)" : "";
			throw new PluginStartException(this.config.name(), PluginStartException.Reason.CONNECT,
					"Plugin '" + this.config.name() + "': the health check of service 'plugin' on "
							+ connection.handshake().network() + " " + connection.handshake().address() + " failed: "
							+ StatusText.of(ex.getStatus()) + (unreachable ? "; nothing accepts connections at that address" : "")
							+ hint + tlsHint(ex.getStatus().getCause(), connection.tlsMode())
							+ ((process != null) ? process.recentStderr() : ""),
					ex);
		}
		catch (PluginStartException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new PluginStartException(this.config.name(), PluginStartException.Reason.CONNECT,
					"Plugin '" + this.config.name() + "': the health check of service 'plugin' failed: " + ex, ex);
		}
		finally {
			call.cancel(null);
		}
	}

	/**
	 * Says which side refused a failed TLS handshake, in the terms of the configuration: the raw errors
	 * (PKIX path validation, a fatal alert) do not say which certificate did not match.
	 */
	static String tlsHint(Throwable cause, String tlsMode) {
		boolean handshake = false;
		boolean serverCertificate = false;
		boolean refusedByPlugin = false;
		for (Throwable t = cause; t != null; t = (t.getCause() == t) ? null : t.getCause()) {
			handshake |= t instanceof SSLHandshakeException;
			serverCertificate |= t instanceof CertificateException || t instanceof CertPathValidatorException;
			refusedByPlugin |= t.getMessage() != null && t.getMessage().contains("Received fatal alert");
		}
		boolean auto = "auto-mtls".equals(tlsMode);
		if (!handshake) {
			return "";
		}
		if (serverCertificate) {
			return auto ? "; the TLS handshake failed: the certificate the plugin presented is not the one in its handshake line"
					: "; the TLS handshake failed: the certificate the plugin presented is not trusted by the configured tls trust";
		}
		if (refusedByPlugin) {
			return auto ? "; the TLS handshake failed: the plugin refused the host's client certificate (it trusts only the"
					+ " certificate it received in " + PluginEnvironment.CLIENT_CERT + ")"
					: "; the TLS handshake failed: the plugin refused the host's client certificate (tls.cert)";
		}
		return "; the TLS handshake failed";
	}

	private static boolean isConnectFailure(Throwable cause) {
		for (Throwable t = cause; t != null; t = (t.getCause() == t) ? null : t.getCause()) {
			if (t instanceof java.net.ConnectException || t instanceof java.io.FileNotFoundException
					|| t instanceof java.nio.file.NoSuchFileException) {
				return true;
			}
		}
		return false;
	}

	/** Why a health check was given up: the plugin's process is gone. */
	private static final class PluginExitedException extends RuntimeException {

		private final Integer status;

		PluginExitedException(Integer status) {
			super("the plugin exited with status " + status, null, false, false);
			this.status = status;
		}

	}

	private Duration remaining(Instant begin) {
		Duration left = this.config.startTimeout().minus(Duration.between(begin, Instant.now()));
		return left.isNegative() ? Duration.ZERO : left;
	}

	private void exited(PluginProcess process) {
		synchronized (this) {
			Connection current = this.connection;
			if (current == null || current.process() != process || this.state != PluginState.RUNNING) {
				return;
			}
			this.lastExitStatus = process.exitValue();
			this.lastFailure = "Plugin '" + this.config.name() + "' (pid " + process.pid() + ") exited unexpectedly with status "
					+ process.exitValue();
			this.connection = null;
			if (this.restartPolicy.allows(this.restarts.get())) {
				// Before anything slow (its last stderr lines may take a second to arrive): calls made meanwhile
				// wait for the restart (restart.call-wait) instead of failing at once.
				setState(PluginState.RESTARTING);
			}
			logger.error("{}{}", this.lastFailure, process.recentStderr());
			release(current);
			this.events.exited(this.config.name(), "crashed");
			scheduleRestart();
		}
	}

	/** After a failed first start: retry like after a crash, when the restart policy allows it. */
	protected synchronized void retryLater() {
		if (this.state == PluginState.FAILED && this.restartPolicy.enabled()) {
			scheduleRestart();
		}
	}

	/** After a crash or a failed restart: restart after the backoff, or give up for good. */
	private void scheduleRestart() {
		if (!this.restartPolicy.allows(this.restarts.get())) {
			setState(PluginState.FAILED);
			if (this.restartPolicy.enabled()) {
				logger.error("Plugin '{}' will not be restarted: it was restarted {} times already (restart.max-restarts)",
						this.config.name(), this.restarts.get());
			}
			return;
		}
		Duration delay = this.restartPolicy.backoff(this.restarts.get() + 1);
		setState(PluginState.RESTARTING);
		logger.warn("Restarting plugin '{}' in {} ms", this.config.name(), delay.toMillis());
		this.pendingRestart = RESTARTER.schedule(this::restart, delay.toMillis(), TimeUnit.MILLISECONDS);
	}

	private synchronized void restart() {
		if (this.state != PluginState.RESTARTING) {
			return;
		}
		this.restarts.incrementAndGet();
		this.events.restarting(this.config.name());
		try {
			start();
		}
		catch (RuntimeException ex) {
			logger.error("Restart of plugin '{}' failed: {}", this.config.name(), ex.getMessage());
			scheduleRestart();
		}
	}

	/**
	 * Waits until the plugin is running, for calls made while it (re)starts.
	 * @param timeout how long at most
	 */
	private void awaitRunning(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.stateChanged) {
			while ((this.state == PluginState.STARTING || this.state == PluginState.RESTARTING)
					&& System.nanoTime() < deadline) {
				try {
					this.stateChanged.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	/**
	 * Stops the plugin the go-plugin way, with deadlines: {@code GRPCController/Shutdown}, up to
	 * {@code stop-timeout} for the process to exit, then SIGKILL for it and its descendants. Removes the
	 * socket directory and any socket the plugin left. Safe to call more than once.
	 */
	public synchronized void stop() {
		ScheduledFuture<?> restart = this.pendingRestart;
		if (restart != null) {
			restart.cancel(false);
		}
		Connection current = this.connection;
		if (current == null) {
			setState(PluginState.STOPPED);
			return;
		}
		setState(PluginState.STOPPING);
		if (current.process() == null) {
			stopReattached(current);
			return;
		}
		// One stop-timeout covers the Shutdown request and the wait for the exit.
		Instant deadline = Instant.now().plus(this.config.stopTimeout());
		current.process().rememberDescendants();
		if (current.process().isAlive()) {
			requestShutdown(current);
		}
		current.broker().close();
		current.channel().shutdownNow();
		Duration left = Duration.between(Instant.now(), deadline);
		boolean graceful = current.process().waitFor(left.isNegative() ? Duration.ZERO : left);
		if (!graceful) {
			logger.warn("Plugin '{}' (pid {}) did not exit within {} ms of the Shutdown request; killing it",
					this.config.name(), current.process().pid(), this.config.stopTimeout().toMillis());
		}
		release(current);
		this.lastExitStatus = current.process().exitValue();
		this.events.exited(this.config.name(), graceful ? "stopped" : "killed");
		this.connection = null;
		setState(PluginState.STOPPED);
		logger.info("Plugin '{}' stopped", this.config.name());
	}

	/** go-plugin's graceful stop, with a deadline (go-plugin waits forever); failures only mean less grace. */
	private void requestShutdown(Connection current) {
		try {
			GRPCControllerGrpc.newBlockingStub(current.channel())
				.withDeadlineAfter(this.config.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)
				.shutdown(io.pluginrpc.proto.plugin.Empty.getDefaultInstance());
		}
		catch (StatusRuntimeException ex) {
			logger.debug("Plugin '{}': Shutdown request failed ({})", this.config.name(), ex.getStatus());
		}
	}

	/** A reattached plugin is asked to shut down (unless in test mode) but never killed: we did not start it. */
	private void stopReattached(Connection current) {
		if (!this.config.reattach().test()) {
			requestShutdown(current);
		}
		release(current);
		this.connection = null;
		setState(PluginState.STOPPED);
		logger.info("Plugin '{}' detached", this.config.name());
	}

	/**
	 * Closes everything a connection holds. A launched plugin's process tree is killed (a no-op once it
	 * exited) and a socket it left is removed; a reattached plugin is left alone.
	 */
	private static void release(Connection connection) {
		connection.broker().close();
		connection.channel().shutdownNow();
		if (connection.process() != null) {
			connection.process().destroyTree();
			removeLeftSocket(connection.handshake());
		}
		closeSocketDirectory(connection.sockets());
	}

	/** A plugin killed before it could clean up leaves its socket (go-plugin#119); the process is gone now. */
	private static void removeLeftSocket(HandshakeLine handshake) {
		Path socket = unixSocket(handshake);
		if (socket != null) {
			SocketFile.deleteIfSocket(socket);
			ManagedPlugins.unregisterPath(socket);
		}
	}

	/** @return the plugin's name */
	public String getName() {
		return this.config.name();
	}

	/** @return the configuration */
	public PluginClientConfig getConfig() {
		return this.config;
	}

	/** @return where the plugin is in its life */
	public PluginState getState() {
		return this.state;
	}

	/** @return a channel that follows the current connection; build stubs on it */
	public Channel channel() {
		return this.channel;
	}

	/**
	 * @return the broker of the current connection
	 * @throws IllegalStateException if the plugin is not running
	 */
	public PluginBroker broker() {
		Connection current = this.connection;
		if (current == null) {
			throw new IllegalStateException("Plugin '" + this.config.name() + "' is not running (state " + this.state + ")");
		}
		return current.broker();
	}

	/** @return the negotiated protocol version, or {@code null} when not running */
	public Integer getNegotiatedVersion() {
		Connection current = this.connection;
		return (current != null) ? current.handshake().appVersion() : null;
	}

	/** @return the handshake line of the current connection, or {@code null} */
	public HandshakeLine getHandshake() {
		Connection current = this.connection;
		return (current != null) ? current.handshake() : null;
	}

	/** @return the pid, or {@code null} when not running */
	public Long getPid() {
		Connection current = this.connection;
		if (current == null) {
			return null;
		}
		return (current.process() != null) ? Long.valueOf(current.process().pid()) : Long.valueOf(this.config.reattach().pid());
	}

	/** @return restarts made after crashes so far */
	public int getRestarts() {
		return this.restarts.get();
	}

	/** @return why the plugin last failed (start failure or crash), or {@code null} */
	public String getLastFailure() {
		return this.lastFailure;
	}

	/** @return the exit status of the last process, or {@code null} if none has exited */
	public Integer getLastExitStatus() {
		return this.lastExitStatus;
	}

	/** @return when the current connection was made, or {@code null} */
	public Instant getStartedAt() {
		Connection current = this.connection;
		return (current != null) ? current.started() : null;
	}

	/** @return {@code plaintext}, {@code auto-mtls} or {@code mtls}, or {@code null} when not connected */
	public String getTlsMode() {
		Connection current = this.connection;
		return (current != null) ? current.tlsMode() : null;
	}

	/** @return the last stderr lines of the plugin */
	public java.util.List<String> getRecentStderr() {
		return this.log.recentLines();
	}

}
