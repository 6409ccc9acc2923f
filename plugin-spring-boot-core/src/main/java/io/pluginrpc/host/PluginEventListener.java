package io.pluginrpc.host;

import java.time.Duration;

import io.pluginrpc.logging.PluginLogLevel;

/**
 * What happens to a plugin, for metrics, monitoring and reactions of the application.
 * Methods are called on the plugin's own threads (the one that starts it, its
 * supervisor's, its output readers') and must return quickly; to act on the plugin after
 * a (re)start, use a {@link PluginInitializer}.
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
	 * Called when the plugin is RUNNING after a start or a restart (after its
	 * initializers ran); calls {@link #started(String, Duration)} unless overridden.
	 * @param plugin the plugin
	 * @param startup time from launch to a healthy, initialized connection
	 * @param restarts restarts made after crashes so far (0 for the first start)
	 */
	default void started(String plugin, Duration startup, int restarts) {
		started(plugin, startup);
	}

	/**
	 * Called when the plugin becomes FAILED: its start failed, or it exited and will not
	 * be restarted.
	 * @param plugin the plugin
	 * @param reason why, naming the plugin
	 */
	default void failed(String plugin, String reason) {
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
	 * @param cause {@code stopped} (asked to), {@code crashed} (exited on its own) or
	 * {@code killed} (did not exit in time after Shutdown)
	 */
	default void exited(String plugin, String cause) {
	}

	/**
	 * @param plugin the plugin, about to be restarted
	 */
	default void restarting(String plugin) {
	}

	/**
	 * @param plugin the plugin
	 * @param level the level a stderr line was logged at
	 */
	default void logLine(String plugin, PluginLogLevel level) {
	}

}
