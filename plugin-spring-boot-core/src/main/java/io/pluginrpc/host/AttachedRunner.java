package io.pluginrpc.host;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A plugin someone else started (go-plugin's reattach): watched through its pid when one
 * is known, never killed (go-plugin#320), and its output is not ours to read.
 */
final class AttachedRunner implements PluginRunner {

	private final long pid;

	private final Optional<ProcessHandle> process;

	private AttachedRunner(long pid, Optional<ProcessHandle> process) {
		this.pid = pid;
		this.process = process;
	}

	/**
	 * @param name the plugin, for the message
	 * @param pid the configured pid, or 0 when unknown
	 * @return the runner
	 * @throws PluginStartException if a pid is configured and no such process runs
	 */
	static AttachedRunner attach(String name, long pid) {
		if (pid <= 0) {
			return new AttachedRunner(0, Optional.empty());
		}
		Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
		if (process.isEmpty()) {
			throw new PluginStartException(name, PluginStartException.Reason.CONNECT,
					"Plugin '" + name + "': reattachment process not found: no process with pid " + pid, null);
		}
		return new AttachedRunner(pid, process);
	}

	@Override
	public long pid() {
		return this.pid;
	}

	@Override
	public boolean launched() {
		return false;
	}

	@Override
	public boolean isAlive() {
		return this.process.map(ProcessHandle::isAlive).orElse(true);
	}

	@Override
	public CompletableFuture<?> onExit() {
		return this.process.<CompletableFuture<?>>map(ProcessHandle::onExit).orElseGet(CompletableFuture::new);
	}

	@Override
	public Integer exitValue() {
		// Only a parent learns a process's exit status.
		return null;
	}

	@Override
	public boolean waitFor(Duration timeout) {
		if (this.process.isEmpty()) {
			return false;
		}
		this.process.get().onExit().completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS).join();
		return !this.process.get().isAlive();
	}

	@Override
	public String awaitHandshakeLine(Duration timeout, Duration startTimeout) {
		throw new IllegalStateException("An attached plugin prints no handshake line to this host");
	}

	@Override
	public void rememberDescendants() {
	}

	@Override
	public void kill() {
	}

	@Override
	public String recentStderr() {
		return "";
	}

}
