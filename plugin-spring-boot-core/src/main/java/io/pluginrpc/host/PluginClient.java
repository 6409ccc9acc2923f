package io.pluginrpc.host;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import io.grpc.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pluginrpc.core.broker.PluginBroker;
import io.pluginrpc.core.handshake.HandshakeLine;
import io.pluginrpc.logging.PluginLogForwarder;

/**
 * A go-plugin host's handle on one plugin (go-plugin's {@code Client}): {@link #start()}
 * verifies, launches (or attaches), reads the handshake, connects, pings and initializes;
 * {@link #stop()} asks the plugin to shut down, waits, then kills it and its descendants
 * and removes what it left. Stubs go on {@link #channel()}, which follows the current
 * connection. The pieces: a {@link PluginRunner} per start, the {@link PluginConnector},
 * the {@link PluginSupervisor} for restarts, all on a {@link PluginHost}.
 */
public class PluginClient {

	private static final Logger logger = LoggerFactory.getLogger(PluginClient.class);

	private final PluginClientConfig config;

	private final PluginHost host;

	private final PluginLogForwarder log;

	private final PluginChannel channel;

	private final PluginConnector connector;

	private final PluginSupervisor supervisor;

	private final PluginEventListener events;

	private final PluginInitialization initialization;

	private final PluginRunner.Launcher launcher;

	private final PluginStateMonitor state = new PluginStateMonitor();

	private volatile Integer lastExitStatus;

	private volatile PluginConnection connection;

	/**
	 * @param config how to launch and reach the plugin; no restarts, no events
	 * @param host what the host's plugins share
	 */
	public PluginClient(PluginClientConfig config, PluginHost host) {
		this(config, host, RestartPolicy.NEVER, PluginEventListener.NONE, List.of());
	}

	/**
	 * @param config how to launch and reach the plugin
	 * @param host what the host's plugins share (process registry, scheduler,
	 * certificates)
	 * @param restartPolicy what to do when the plugin exits on its own
	 * @param events told what happens
	 * @param initializers run after every start and restart, before the plugin counts as
	 * RUNNING
	 */
	public PluginClient(PluginClientConfig config, PluginHost host, RestartPolicy restartPolicy,
			PluginEventListener events, List<PluginInitializer> initializers) {
		this(config, host, restartPolicy, events, initializers, LaunchedRunner::start);
	}

	PluginClient(PluginClientConfig config, PluginHost host, RestartPolicy restartPolicy, PluginEventListener events,
			List<PluginInitializer> initializers, PluginRunner.Launcher launcher) {
		this.config = config;
		this.host = host;
		this.events = events;
		this.initialization = new PluginInitialization(initializers);
		this.launcher = launcher;
		this.log = new PluginLogForwarder(config.name(), (level) -> events.logLine(config.name(), level));
		this.connector = new PluginConnector(config.name());
		this.supervisor = new PluginSupervisor(config.name(), this.state, this::restartIfRestarting, restartPolicy,
				host.scheduler(), events);
		if (config.autoMtls() && config.reattach() == null) {
			host.certificates().prefetch();
		}
		CallRouting routing = new CallRouting(() -> this.connection, this.state, this.initialization,
				config.lazy() ? this::start : null, restartPolicy.callWait());
		this.channel = new PluginChannel(config.name(), routing::channel, this.state::describe,
				() -> ofConnection((current) -> current.handshake().address()));
	}

	/**
	 * Launches (or attaches to), connects and initializes the plugin; a no-op if it is
	 * already running.
	 * @throws PluginStartException with a message naming the plugin, what was expected
	 * and what happened
	 */
	public synchronized void start() {
		if (this.state.get() == PluginState.RUNNING) {
			return;
		}
		if (this.host.isClosed()) {
			throw new IllegalStateException("Plugin '" + this.config.name() + "': its host is closed");
		}
		// A restart stays RESTARTING until it is RUNNING (or FAILED): health and messages
		// say which it is.
		if (this.state.get() != PluginState.RESTARTING) {
			this.state.set(PluginState.STARTING);
		}
		PluginStart attempt = new PluginStart(this.config, this.host, this.connector, this.events);
		try {
			if (this.config.reattach() == null) {
				// A panic seen from the previous process must not turn the new one's
				// lines into errors.
				this.log.newProcess();
			}
			PluginConnection connection = (this.config.reattach() != null) ? attempt.attach()
					: attempt.launch(this.log, this.launcher);
			this.connection = connection;
			this.connector.open(connection);
			this.initialization.run(this);
			this.state.running();
			Duration took = Duration.between(attempt.begin(), Instant.now());
			this.events.started(this.config.name(), took, this.supervisor.restarts());
			connection.runner().onExit().thenRun(() -> exited(connection));
			logger.info("Plugin '{}' {} in {} ms", this.config.name(), connection.describe(), took.toMillis());
		}
		catch (RuntimeException ex) {
			PluginStartException failure = PluginStartException.of(this.config.name(), ex);
			this.connection = null;
			attempt.abandon();
			this.state.failed(PluginState.FAILED, failure.getMessage());
			this.events.startFailed(this.config.name(), failure.getReason());
			this.events.failed(this.config.name(), failure.getMessage());
			throw failure;
		}
	}

	/**
	 * The process of the RUNNING plugin exited on its own. This moves the plugin to
	 * RESTARTING or FAILED, once: the supervisor only schedules the restart.
	 */
	private void exited(PluginConnection exited) {
		String failure;
		synchronized (this) {
			if (this.connection != exited || this.state.get() != PluginState.RUNNING) {
				return;
			}
			PluginRunner runner = exited.runner();
			this.connection = null;
			this.lastExitStatus = runner.launched() ? runner.exitValue() : this.lastExitStatus;
			failure = exited.unexpectedExit(this.config.name());
			// Before anything slow (its last stderr lines may take a second to arrive):
			// calls made meanwhile
			// wait for the restart (restart.call-wait) instead of failing at once. A
			// reattached plugin is not ours
			// to restart.
			boolean restart = runner.launched() && this.supervisor.willRestart();
			this.state.failed(restart ? PluginState.RESTARTING : PluginState.FAILED, failure);
			logger.error("{}{}", failure, runner.recentStderr());
			exited.release();
			if (runner.launched()) {
				this.events.exited(this.config.name(), "crashed");
			}
		}
		if (this.state.get() == PluginState.RESTARTING) {
			this.supervisor.crashed();
		}
		else {
			this.supervisor.gaveUp();
			this.events.failed(this.config.name(), failure);
		}
	}

	/**
	 * After a failed first start: retry like after a crash, when the restart policy
	 * allows it.
	 */
	protected void retryLater() {
		this.supervisor.retryLater();
	}

	private <T> T ofConnection(Function<PluginConnection, T> value) {
		PluginConnection current = this.connection;
		return (current != null) ? value.apply(current) : null;
	}

	/**
	 * Stops the plugin the go-plugin way, with deadlines ({@link PluginShutdown}):
	 * Shutdown request, up to {@code stop-timeout} to exit, then SIGKILL for it and its
	 * descendants; a reattached plugin is left running. Removes the socket paths it left.
	 * Safe to call more than once.
	 */
	public synchronized void stop() {
		this.supervisor.cancel();
		PluginConnection current = this.connection;
		if (current == null) {
			this.state.set(PluginState.STOPPED);
			return;
		}
		this.state.set(PluginState.STOPPING);
		String end = PluginShutdown.stop(this.config, current);
		if (current.runner().launched()) {
			this.lastExitStatus = current.runner().exitValue();
		}
		this.events.exited(this.config.name(), end.equals("detached") ? "stopped" : end);
		this.connection = null;
		this.state.set(PluginState.STOPPED);
		logger.info("Plugin '{}' {}", this.config.name(), end);
	}

	/**
	 * The supervisor's restart: the check and the start are one step for the other
	 * transitions.
	 */
	private synchronized void restartIfRestarting(Runnable beforeStart) {
		if (this.state.get() == PluginState.RESTARTING) {
			beforeStart.run();
			start();
		}
	}

	/**
	 * @return the plugin's name
	 */
	public String getName() {
		return this.config.name();
	}

	/**
	 * @return the configuration
	 */
	public PluginClientConfig getConfig() {
		return this.config;
	}

	/**
	 * @return where the plugin is in its life
	 */
	public PluginState getState() {
		return this.state.get();
	}

	/**
	 * @return a channel that follows the current connection; build stubs on it
	 */
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
			throw new IllegalStateException(
					"Plugin '" + this.config.name() + "' is not running (state " + this.state.get() + ")");
		}
		return current.broker();
	}

	/**
	 * @return the negotiated protocol version, or {@code null} when not running
	 */
	public Integer getNegotiatedVersion() {
		return ofConnection((current) -> current.handshake().appVersion());
	}

	/**
	 * @return the handshake line of the current connection, or {@code null}
	 */
	public HandshakeLine getHandshake() {
		return ofConnection((current) -> current.handshake());
	}

	/**
	 * @return the pid, or {@code null} when not running (0 for a reattached plugin
	 * configured without one)
	 */
	public Long getPid() {
		return ofConnection((current) -> Long.valueOf(current.runner().pid()));
	}

	/**
	 * @return whether the plugin serves health service {@code plugin} ({@code null} when
	 * not connected); without one, its health is judged from its process, as go-plugin
	 * does
	 */
	public Boolean hasHealthService() {
		return ofConnection((current) -> current.healthService());
	}

	/**
	 * @return whether the plugin's process is alive ({@code false} when not connected)
	 */
	public boolean isProcessAlive() {
		PluginConnection current = this.connection;
		return current != null && current.runner().isAlive();
	}

	/**
	 * @return restarts made after crashes so far
	 */
	public int getRestarts() {
		return this.supervisor.restarts();
	}

	/**
	 * @return why the plugin last failed (start failure or crash), or {@code null}
	 */
	public String getLastFailure() {
		return this.state.lastFailure();
	}

	/**
	 * @return the exit status of the last process, or {@code null} if none has exited
	 */
	public Integer getLastExitStatus() {
		return this.lastExitStatus;
	}

	/**
	 * @return when the current connection was made, or {@code null}
	 */
	public Instant getStartedAt() {
		return ofConnection((current) -> current.started());
	}

	/**
	 * @return {@code plaintext}, {@code auto-mtls} or {@code mtls}, or {@code null} when
	 * not connected
	 */
	public String getTlsMode() {
		return ofConnection((current) -> current.tlsMode());
	}

	/**
	 * @return the last stderr lines of the plugin
	 */
	public List<String> getRecentStderr() {
		return this.log.recentLines();
	}

}
