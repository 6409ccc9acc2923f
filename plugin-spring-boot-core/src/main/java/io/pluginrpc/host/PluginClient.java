package io.pluginrpc.host;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pluginrpc.core.broker.PluginBroker;
import io.pluginrpc.core.handshake.HandshakeLine;
import io.pluginrpc.logging.PluginLogForwarder;

/**
 * A go-plugin host's handle on one plugin (go-plugin's {@code Client}): {@link #start()} verifies,
 * launches (or attaches), reads the handshake, connects, pings and initializes; {@link #stop()} asks the
 * plugin to shut down, waits, then kills it and its descendants and removes what it left. Stubs go on
 * {@link #channel()}, which follows the current connection. The pieces: a {@link PluginRunner} per start,
 * the {@link PluginConnector}, the {@link PluginSupervisor} for restarts, all on a {@link PluginHost}.
 */
public class PluginClient {

	private static final Logger logger = LoggerFactory.getLogger(PluginClient.class);

	/** Launches a plugin's process; a seam for tests that stand a fake process in. */
	interface Launcher {

		PluginRunner launch(PluginClientConfig config, Map<String, String> environment, PluginLogForwarder log,
				ProcessRegistry registry);

	}

	private final PluginClientConfig config;

	private final PluginHost host;

	private final PluginLogForwarder log;

	private final PluginChannel channel;

	private final PluginConnector connector;

	private final PluginSupervisor supervisor;

	private final PluginEventListener events;

	private final PluginInitialization initialization;

	private final Launcher launcher;

	private final PluginStateMonitor state = new PluginStateMonitor();

	private volatile Integer lastExitStatus;

	private volatile PluginConnection connection;

	private volatile String lastFailure;

	/**
	 * @param config how to launch and reach the plugin; no restarts, no events
	 * @param host what the host's plugins share
	 */
	public PluginClient(PluginClientConfig config, PluginHost host) {
		this(config, host, RestartPolicy.NEVER, PluginEventListener.NONE, List.of());
	}

	/**
	 * @param config how to launch and reach the plugin
	 * @param host what the host's plugins share (process registry, scheduler, certificates)
	 * @param restartPolicy what to do when the plugin exits on its own
	 * @param events told what happens
	 * @param initializers run after every start and restart, before the plugin counts as RUNNING
	 */
	public PluginClient(PluginClientConfig config, PluginHost host, RestartPolicy restartPolicy,
			PluginEventListener events, List<PluginInitializer> initializers) {
		this(config, host, restartPolicy, events, initializers, LaunchedRunner::start);
	}

	PluginClient(PluginClientConfig config, PluginHost host, RestartPolicy restartPolicy, PluginEventListener events,
			List<PluginInitializer> initializers, Launcher launcher) {
		this.config = config;
		this.host = host;
		this.events = events;
		this.initialization = new PluginInitialization(initializers);
		this.launcher = launcher;
		this.log = new PluginLogForwarder(config.name(), (level) -> events.logLine(config.name(), level));
		this.connector = new PluginConnector(config.name());
		this.supervisor = new PluginSupervisor(new Supervised(), restartPolicy, host.scheduler(), events);
		if (config.autoMtls() && config.reattach() == null) {
			host.certificates().prefetch();
		}
		this.channel = new PluginChannel(config.name(), this::currentChannel, this::describeState, () -> {
			PluginConnection current = this.connection;
			return (current != null) ? current.handshake().address() : null;
		});
	}

	/**
	 * Launches (or attaches to), connects and initializes the plugin; a no-op if it is already running.
	 * @throws PluginStartException with a message naming the plugin, what was expected and what happened
	 */
	public synchronized void start() {
		if (this.state.get() == PluginState.RUNNING) {
			return;
		}
		if (this.host.isClosed()) {
			throw new IllegalStateException("Plugin '" + this.config.name() + "': its host is closed");
		}
		// A restart stays RESTARTING until it is RUNNING (or FAILED): health and messages say which it is.
		if (this.state.get() != PluginState.RESTARTING) {
			transition(PluginState.STARTING);
		}
		PluginStart attempt = new PluginStart(this.config, this.host, this.connector, this.events);
		try {
			if (this.config.reattach() == null) {
				// A panic seen from the previous process must not turn the new one's lines into errors.
				this.log.newProcess();
			}
			PluginConnection connection = (this.config.reattach() != null) ? attempt.attach()
					: attempt.launch(this.log, this.launcher);
			this.connection = connection;
			this.connector.open(connection);
			this.initialization.run(this);
			this.lastFailure = null;
			transition(PluginState.RUNNING);
			Duration took = Duration.between(attempt.begin(), Instant.now());
			this.events.started(this.config.name(), took, this.supervisor.restarts());
			connection.runner().onExit().thenRun(() -> exited(connection));
			logger.info("Plugin '{}' {}: pid {}, protocol version {}, {} {} ({}) in {} ms", this.config.name(),
					connection.runner().launched() ? "started" : "reattached", connection.runner().pid(),
					connection.handshake().appVersion(), connection.handshake().network(),
					connection.handshake().address(), connection.tlsMode(), took.toMillis());
		}
		catch (RuntimeException ex) {
			PluginStartException failure = (ex instanceof PluginStartException known) ? known
					: new PluginStartException(this.config.name(), PluginStartException.Reason.CONNECT,
							"Plugin '" + this.config.name() + "': " + ex.getMessage(), ex);
			this.connection = null;
			attempt.abandon();
			this.lastFailure = failure.getMessage();
			transition(PluginState.FAILED);
			this.events.startFailed(this.config.name(), failure.getReason());
			this.events.failed(this.config.name(), failure.getMessage());
			throw failure;
		}
	}

	private void exited(PluginConnection exited) {
		boolean crashed;
		synchronized (this) {
			if (this.connection != exited || this.state.get() != PluginState.RUNNING) {
				return;
			}
			PluginRunner runner = exited.runner();
			this.connection = null;
			if (!runner.launched()) {
				this.lastFailure = "Reattached plugin '" + this.config.name() + "' (pid " + runner.pid() + ") exited";
				PluginStart.release(exited);
				transition(PluginState.FAILED);
				logger.error(this.lastFailure);
				this.events.failed(this.config.name(), this.lastFailure);
				return;
			}
			this.lastExitStatus = runner.exitValue();
			this.lastFailure = "Plugin '" + this.config.name() + "' (pid " + runner.pid()
					+ ") exited unexpectedly with status " + runner.exitValue();
			crashed = this.supervisor.willRestart();
			// Before anything slow (its last stderr lines may take a second to arrive): calls made meanwhile
			// wait for the restart (restart.call-wait) instead of failing at once.
			transition(crashed ? PluginState.RESTARTING : PluginState.FAILED);
			logger.error("{}{}", this.lastFailure, runner.recentStderr());
			PluginStart.release(exited);
			this.events.exited(this.config.name(), "crashed");
		}
		this.supervisor.crashed();
		if (this.state.get() == PluginState.FAILED) {
			this.events.failed(this.config.name(), this.lastFailure);
		}
	}

	/** After a failed first start: retry like after a crash, when the restart policy allows it. */
	protected void retryLater() {
		this.supervisor.retryLater();
	}

	private ManagedChannel currentChannel() {
		PluginConnection current = this.connection;
		if (current != null && this.initialization.isInitializingThread()) {
			return current.channel();
		}
		if (this.config.lazy() && this.state.get() == PluginState.STOPPED && current == null) {
			try {
				start();
			}
			catch (PluginStartException ex) {
				// The call fails with UNAVAILABLE carrying this reason (see PluginChannel).
				logger.error(ex.getMessage());
			}
		}
		Duration callWait = this.supervisor.callWait();
		if (!callWait.isZero() && this.state.isStarting()) {
			this.state.awaitStarted(callWait);
		}
		current = this.connection;
		return (current != null && this.state.get() == PluginState.RUNNING) ? current.channel() : null;
	}

	private String describeState() {
		PluginState now = this.state.get();
		String failure = this.lastFailure;
		return ((now == PluginState.FAILED || now == PluginState.RESTARTING) && failure != null) ? now + ": " + failure
				: now.name();
	}

	private void transition(PluginState state) {
		this.state.set(state);
	}

	/**
	 * Stops the plugin the go-plugin way, with deadlines ({@link PluginShutdown}): Shutdown request, up to
	 * {@code stop-timeout} to exit, then SIGKILL for it and its descendants; a reattached plugin is left
	 * running. Removes the socket paths it left. Safe to call more than once.
	 */
	public synchronized void stop() {
		this.supervisor.cancel();
		PluginConnection current = this.connection;
		if (current == null) {
			transition(PluginState.STOPPED);
			return;
		}
		transition(PluginState.STOPPING);
		String end = PluginShutdown.stop(this.config, current);
		if (current.runner().launched()) {
			this.lastExitStatus = current.runner().exitValue();
		}
		this.events.exited(this.config.name(), end.equals("detached") ? "stopped" : end);
		this.connection = null;
		transition(PluginState.STOPPED);
		logger.info("Plugin '{}' {}", this.config.name(), end);
	}

	/** The client as its supervisor sees it. */
	private final class Supervised implements PluginSupervisor.Supervised {

		@Override
		public String getName() {
			return PluginClient.this.getName();
		}

		@Override
		public PluginState getState() {
			return PluginClient.this.state.get();
		}

		@Override
		public void transition(PluginState state) {
			PluginClient.this.transition(state);
		}

		@Override
		public void restartIfRestarting(Runnable beforeStart) {
			synchronized (PluginClient.this) {
				if (PluginClient.this.state.get() != PluginState.RESTARTING) {
					return;
				}
				beforeStart.run();
				start();
			}
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
		return this.state.get();
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
		PluginConnection current = this.connection;
		if (current == null) {
			throw new IllegalStateException("Plugin '" + this.config.name() + "' is not running (state " + this.state.get() + ")");
		}
		return current.broker();
	}

	/** @return the negotiated protocol version, or {@code null} when not running */
	public Integer getNegotiatedVersion() {
		PluginConnection current = this.connection;
		return (current != null) ? current.handshake().appVersion() : null;
	}

	/** @return the handshake line of the current connection, or {@code null} */
	public HandshakeLine getHandshake() {
		PluginConnection current = this.connection;
		return (current != null) ? current.handshake() : null;
	}

	/** @return the pid, or {@code null} when not running (0 for a reattached plugin configured without one) */
	public Long getPid() {
		PluginConnection current = this.connection;
		return (current != null) ? Long.valueOf(current.runner().pid()) : null;
	}

	/**
	 * @return whether the plugin serves health service {@code plugin} ({@code null} when not connected);
	 * without one, its health is judged from its process, as go-plugin does
	 */
	public Boolean hasHealthService() {
		PluginConnection current = this.connection;
		return (current != null) ? current.healthService() : null;
	}

	/** @return whether the plugin's process is alive ({@code false} when not connected) */
	public boolean isProcessAlive() {
		PluginConnection current = this.connection;
		return current != null && current.runner().isAlive();
	}

	/** @return restarts made after crashes so far */
	public int getRestarts() {
		return this.supervisor.restarts();
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
		PluginConnection current = this.connection;
		return (current != null) ? current.started() : null;
	}

	/** @return {@code plaintext}, {@code auto-mtls} or {@code mtls}, or {@code null} when not connected */
	public String getTlsMode() {
		PluginConnection current = this.connection;
		return (current != null) ? current.tlsMode() : null;
	}

	/** @return the last stderr lines of the plugin */
	public List<String> getRecentStderr() {
		return this.log.recentLines();
	}

}
