package io.pluginrpc.host;

import java.time.Duration;

import io.pluginrpc.logging.PluginLogLevel;

/**
 * What happens to a plugin, for metrics and monitoring. Methods are called on the plugin's own threads
 * and must return quickly.
 */
public interface PluginEventListener {

	/** Ignores everything. */
	PluginEventListener NONE = new PluginEventListener() {
	};

	/**
	 * @param plugin the plugin
	 * @param startup time from launch to a healthy connection
	 */
	default void started(String plugin, Duration startup) {
	}

	/**
	 * @param plugin the plugin
	 * @param latency time from launch to the handshake line
	 */
	default void handshake(String plugin, Duration latency) {
	}

	/**
	 * @param plugin the plugin
	 * @param reason why the start failed
	 */
	default void startFailed(String plugin, PluginStartException.Reason reason) {
	}

	/**
	 * @param plugin the plugin
	 * @param cause {@code stopped} (asked to), {@code crashed} (exited on its own) or {@code killed}
	 * (did not exit in time after Shutdown)
	 */
	default void exited(String plugin, String cause) {
	}

	/** @param plugin the plugin, about to be restarted */
	default void restarting(String plugin) {
	}

	/**
	 * @param plugin the plugin
	 * @param level the level a stderr line was logged at
	 */
	default void logLine(String plugin, PluginLogLevel level) {
	}

}
