package io.pluginrpc.host;

import java.time.Duration;

/**
 * A plugin's state, why it last failed, and the wait of calls made while it (re)starts
 * ({@code restart.call-wait}).
 */
final class PluginStateMonitor {

	private volatile PluginState state = PluginState.STOPPED;

	private volatile String lastFailure;

	PluginState get() {
		return this.state;
	}

	synchronized void set(PluginState state) {
		this.state = state;
		notifyAll();
	}

	/**
	 * Moves to FAILED or RESTARTING because of a failure.
	 * @param state FAILED or RESTARTING
	 * @param failure why, naming the plugin
	 */
	synchronized void failed(PluginState state, String failure) {
		this.lastFailure = failure;
		set(state);
	}

	/** The plugin is RUNNING: an earlier failure no longer describes it. */
	synchronized void running() {
		this.lastFailure = null;
		set(PluginState.RUNNING);
	}

	/**
	 * @return why the plugin last failed (start failure or crash), or {@code null}
	 */
	String lastFailure() {
		return this.lastFailure;
	}

	/**
	 * @return the state for a message, with the failure while FAILED or RESTARTING
	 */
	String describe() {
		PluginState now = this.state;
		String failure = this.lastFailure;
		return ((now == PluginState.FAILED || now == PluginState.RESTARTING) && failure != null) ? now + ": " + failure
				: now.name();
	}

	/**
	 * @return whether the plugin is starting or restarting
	 */
	boolean isStarting() {
		PluginState now = this.state;
		return now == PluginState.STARTING || now == PluginState.RESTARTING;
	}

	/**
	 * Waits while the plugin starts or restarts.
	 * @param timeout how long at most; zero does not wait
	 */
	synchronized void awaitStarted(Duration timeout) {
		if (timeout.isZero()) {
			return;
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		while (isStarting() && System.nanoTime() < deadline) {
			try {
				wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

}
