package io.pluginrpc.plugin;

/**
 * The plugin cannot start serving; the message says what was expected and what was found.
 */
public class PluginStartupException extends RuntimeException {

	public PluginStartupException(String message) {
		super(message);
	}

	public PluginStartupException(String message, Throwable cause) {
		super(message, cause);
	}

}
