package io.pluginrpc.autoconfigure.host;

import java.time.Duration;

/** A plugin is RUNNING: started, or restarted after a crash, and initialized. */
public class PluginStartedEvent extends PluginLifecycleEvent {

	private final Duration startup;

	private final int restarts;

	public PluginStartedEvent(String plugin, Duration startup, int restarts) {
		super(plugin);
		this.startup = startup;
		this.restarts = restarts;
	}

	/**
	 * @return time from launch to a healthy, initialized connection
	 */
	public Duration getStartup() {
		return this.startup;
	}

	/**
	 * @return restarts after crashes so far: 0 for the first start
	 */
	public int getRestarts() {
		return this.restarts;
	}

}
