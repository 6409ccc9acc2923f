package io.pluginrpc.host;

/** Where a managed plugin is in its life. */
public enum PluginState {

	/** Not started yet, or stopped. */
	STOPPED,
	/** Launching, waiting for the handshake, connecting. */
	STARTING,
	/** Connected and healthy at the last check. */
	RUNNING,
	/** Being stopped. */
	STOPPING,
	/** The process exited on its own; a restart is scheduled. */
	RESTARTING,
	/**
	 * The process exited on its own or could not be started, and will not be restarted.
	 */
	FAILED

}
