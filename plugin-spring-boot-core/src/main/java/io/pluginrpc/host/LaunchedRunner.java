package io.pluginrpc.host;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pluginrpc.core.handshake.HandshakeException;
import io.pluginrpc.logging.LineReader;
import io.pluginrpc.logging.PluginLogForwarder;

/**
 * A plugin process the host launched: stdin inherited (go-plugin's TTY preservation), the
 * first stdout line taken as the handshake and the rest drained forever, stderr drained
 * forever into the log forwarder, so the plugin never blocks on a full pipe. On Linux it
 * runs in its own process group ({@link ProcessGroup} says when); destroying it takes its
 * group, if any, and its descendants along.
 */
final class LaunchedRunner implements PluginRunner {

	private static final Logger logger = LoggerFactory.getLogger(LaunchedRunner.class);

	private final String name;

	private final Process process;

	private final PluginLogForwarder log;

	/**
	 * Whether it was launched as the leader of its own process group, whose id is its
	 * pid.
	 */
	private final boolean groupLeader;

	private final CompletableFuture<String> firstLine = new CompletableFuture<>();

	private final CompletableFuture<Void> stderrDone = new CompletableFuture<>();

	/** How many of its last stderr lines an error message about the process shows. */
	private static final int REPORTED_STDERR_LINES = 10;

	/** How much of one stderr line an error message shows. */
	private static final int MAX_REPORTED_LINE_CHARS = 2000;

	private final java.util.ArrayDeque<String> lastStderrLines = new java.util.ArrayDeque<>(REPORTED_STDERR_LINES);

	private final java.util.Set<ProcessHandle> knownDescendants = java.util.concurrent.ConcurrentHashMap.newKeySet();

	private final ProcessRegistry registry;

	private LaunchedRunner(String name, Process process, PluginLogForwarder log, boolean groupLeader,
			ProcessRegistry registry) {
		this.name = name;
		this.registry = registry;
		this.process = process;
		this.log = log;
		this.groupLeader = groupLeader;
	}

	/**
	 * Starts the process with exactly the given environment.
	 * @param config the plugin's configuration (command, working directory)
	 * @param environment the complete child environment
	 * @param log receives stderr lines
	 * @param registry where the process is registered until it is killed
	 * @return the running process
	 * @throws PluginStartException if it cannot be started
	 */
	static LaunchedRunner start(PluginClientConfig config, Map<String, String> environment, PluginLogForwarder log,
			ProcessRegistry registry) {
		List<String> inNewSession = ProcessGroup.inNewSession(config.name(), config.command(),
				config.workingDirectory());
		ProcessBuilder builder = new ProcessBuilder((inNewSession != null) ? inNewSession : config.command())
			.redirectInput(ProcessBuilder.Redirect.INHERIT);
		if (config.workingDirectory() != null) {
			builder.directory(config.workingDirectory().toFile());
		}
		builder.environment().clear();
		builder.environment().putAll(environment);
		Process process;
		try {
			process = builder.start();
		}
		catch (IOException ex) {
			throw new PluginStartException(config.name(), PluginStartException.Reason.EXECUTABLE,
					"Plugin '" + config.name() + "': cannot start " + config.command() + ": " + ex.getMessage(), ex);
		}
		LaunchedRunner plugin = new LaunchedRunner(config.name(), process, log, inNewSession != null, registry);
		plugin.pump();
		registry.register(process.toHandle(), plugin.groupLeader);
		return plugin;
	}

	private void pump() {
		Thread stdout = new Thread(() -> readStdout(this.process.getInputStream()), "plugin-" + this.name + "-stdout");
		stdout.setDaemon(true);
		stdout.start();
		Thread stderr = new Thread(() -> {
			LineReader.drain(this.process.getErrorStream(), LineReader.DEFAULT_MAX_LINE, (line) -> {
				rememberStderr(line);
				this.log.accept(line);
			});
			this.stderrDone.complete(null);
		}, "plugin-" + this.name + "-stderr");
		stderr.setDaemon(true);
		stderr.start();
	}

	private void readStdout(InputStream in) {
		// After the handshake line go-plugin discards stdout unseen; we read it to the
		// end so the plugin never
		// blocks, and log it at DEBUG (cut like stderr lines), so that it is not lost
		// without a trace.
		Logger stdout = LoggerFactory.getLogger("plugin." + this.name + ".stdout");
		boolean[] first = { true };
		LineReader.drain(in, LineReader.DEFAULT_MAX_LINE, (line) -> {
			if (first[0]) {
				first[0] = false;
				this.firstLine.complete(line);
			}
			else {
				stdout.debug(line);
			}
		});
		this.firstLine.complete(null);
	}

	@Override
	public String awaitHandshakeLine(java.time.Duration timeout, java.time.Duration startTimeout)
			throws HandshakeException {
		CompletableFuture<Object> lineOrExit = CompletableFuture.anyOf(this.firstLine, this.process.onExit()
			.thenCompose((p) -> this.firstLine.completeOnTimeout(null, 500, TimeUnit.MILLISECONDS)));
		Object line;
		try {
			line = lineOrExit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			throw new HandshakeException(HandshakeException.Reason.TIMEOUT, this.name,
					"the plugin printed no handshake line within " + startTimeout.toMillis() / 1000.0
							+ " s (start-timeout)" + recentStderr());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new HandshakeException(HandshakeException.Reason.TIMEOUT, this.name,
					"interrupted while waiting for the handshake");
		}
		catch (ExecutionException ex) {
			throw new HandshakeException(HandshakeException.Reason.UNRECOGNIZED, this.name, ex.getCause().toString());
		}
		if (line == null) {
			// stdout usually closes because the process is exiting: give it a moment, to
			// report its status.
			waitFor(java.time.Duration.ofSeconds(1));
			String status = this.process.isAlive() ? "closed its stdout" : "exited with status " + exitStatus();
			throw new HandshakeException(HandshakeException.Reason.EXITED, this.name,
					"the plugin " + status + " before printing a handshake line" + recentStderr());
		}
		return (String) line;
	}

	private int exitStatus() {
		try {
			this.process.onExit().get(2, TimeUnit.SECONDS);
			return this.process.exitValue();
		}
		catch (Exception ex) {
			return -1;
		}
	}

	@Override
	public String recentStderr() {
		try {
			// Give the stderr reader a moment to catch up with what the plugin wrote just
			// before failing.
			this.stderrDone.get(this.process.isAlive() ? 100 : 1000, TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			// Still running: report what arrived so far.
		}
		List<String> last;
		synchronized (this.lastStderrLines) {
			last = List.copyOf(this.lastStderrLines);
		}
		if (last.isEmpty()) {
			return "; it wrote nothing on stderr";
		}
		return "; its last stderr lines:\n  " + String.join("\n  ", last);
	}

	/**
	 * Keeps this process's own last lines for error messages: the log forwarder outlives
	 * restarts, and a failed restart must not be explained with what the previous process
	 * wrote.
	 */
	private void rememberStderr(String line) {
		String shown = (line.length() > MAX_REPORTED_LINE_CHARS)
				? line.substring(0, MAX_REPORTED_LINE_CHARS) + "…(" + line.length() + " chars)" : line;
		synchronized (this.lastStderrLines) {
			if (this.lastStderrLines.size() == REPORTED_STDERR_LINES) {
				this.lastStderrLines.removeFirst();
			}
			this.lastStderrLines.addLast(shown);
		}
	}

	@Override
	public long pid() {
		return this.process.pid();
	}

	@Override
	public boolean launched() {
		return true;
	}

	@Override
	public boolean isAlive() {
		return this.process.isAlive();
	}

	@Override
	public CompletableFuture<Process> onExit() {
		return this.process.onExit();
	}

	@Override
	public Integer exitValue() {
		return this.process.isAlive() ? null : this.process.exitValue();
	}

	@Override
	public boolean waitFor(java.time.Duration timeout) {
		try {
			return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return !this.process.isAlive();
		}
	}

	/**
	 * Remembers the process's current descendants. Once the plugin exits its children are
	 * re-parented to init and no longer look like its descendants, so a graceful stop
	 * takes this snapshot first and {@link #kill()} kills them too. The process group
	 * catches them as well, unless a descendant moved to a group of its own (a daemon's
	 * setsid, a shell's job control): this snapshot is the net for those.
	 */
	@Override
	public void rememberDescendants() {
		this.process.descendants().forEach(this.knownDescendants::add);
	}

	/**
	 * Kills the process, every member of its process group and every descendant (current
	 * or remembered) with SIGKILL and waits (briefly) for them to go. go-plugin kills
	 * only the direct child, which orphans grandchildren (go-plugin#10). After a crash
	 * only the group still finds the children: they no longer descend from the dead
	 * plugin. Its pid is not reused while the group has members, so the group is still
	 * the plugin's.
	 */
	@Override
	public void kill() {
		List<ProcessHandle> descendants = new java.util.ArrayList<>(this.knownDescendants);
		this.process.descendants().filter((d) -> !descendants.contains(d)).forEach(descendants::add);
		this.process.destroyForcibly();
		descendants.forEach(ProcessHandle::destroyForcibly);
		if (this.groupLeader) {
			int killed = ProcessGroup.kill(this.process.pid());
			if (killed > 0) {
				logger.debug("Plugin '{}': sent SIGKILL to {} members of its process group {}", this.name, killed,
						this.process.pid());
			}
		}
		waitFor(java.time.Duration.ofSeconds(5));
		for (ProcessHandle descendant : descendants) {
			descendant.onExit().completeOnTimeout(null, 2, TimeUnit.SECONDS).join();
		}
		this.registry.unregister(this.process.toHandle());
	}

}
