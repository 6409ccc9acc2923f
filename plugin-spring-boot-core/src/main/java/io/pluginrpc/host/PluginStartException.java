package io.pluginrpc.host;

/**
 * A plugin that could not be started, with a message naming the plugin, what was expected
 * and what happened, and a {@link Reason} for failure analyzers.
 */
public class PluginStartException extends RuntimeException {

	/** Why the start failed. */
	public enum Reason {

		/** The command's executable does not exist or cannot be executed. */
		EXECUTABLE,
		/** The executable's checksum differs from the configured one. */
		CHECKSUM,
		/**
		 * The handshake failed: bad line, exit before it, timeout, incompatible versions.
		 */
		HANDSHAKE,
		/**
		 * The handshake succeeded but the plugin could not be reached or is not healthy.
		 */
		CONNECT,
		/** A {@link PluginInitializer} failed on the connected plugin. */
		INITIALIZE

	}

	private final String pluginName;

	private final Reason reason;

	public PluginStartException(String pluginName, Reason reason, String message, Throwable cause) {
		super(message, cause);
		this.pluginName = pluginName;
		this.reason = reason;
	}

	/**
	 * @param pluginName the plugin
	 * @param ex what a start step threw
	 * @return {@code ex} itself when it already is one, else a {@link Reason#CONNECT}
	 * failure naming the plugin
	 */
	static PluginStartException of(String pluginName, RuntimeException ex) {
		return (ex instanceof PluginStartException known) ? known : new PluginStartException(pluginName, Reason.CONNECT,
				"Plugin '" + pluginName + "': " + ex.getMessage(), ex);
	}

	public String getPluginName() {
		return this.pluginName;
	}

	public Reason getReason() {
		return this.reason;
	}

}
