package io.pluginrpc.autoconfigure.plugin;

/**
 * Ends the plugin when the host asks it to ({@code GRPCController/Shutdown}) or dies: by
 * default the application context is closed and the JVM exits with status 0, as a Go
 * plugin's {@code main} returns. A bean of this type replaces it.
 */
@FunctionalInterface
public interface PluginExit {

	/** Stops the plugin; called on its own thread. */
	void exit();

}
