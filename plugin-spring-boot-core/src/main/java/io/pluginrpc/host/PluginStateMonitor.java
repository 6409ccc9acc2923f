package io.pluginrpc.host;

import java.time.Duration;

/**
 * A plugin's state, and the wait of calls made while it (re)starts ({@code restart.call-wait}).
 */
final class PluginStateMonitor {

	private volatile PluginState state = PluginState.STOPPED;

	PluginState get() {
		return this.state;
	}

	synchronized void set(PluginState state) {
		this.state = state;
		notifyAll();
	}

	/** @return whether the plugin is starting or restarting */
	boolean isStarting() {
		PluginState now = this.state;
		return now == PluginState.STARTING || now == PluginState.RESTARTING;
	}

	/**
	 * Waits while the plugin starts or restarts.
	 * @param timeout how long at most
	 */
	synchronized void awaitStarted(Duration timeout) {
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
