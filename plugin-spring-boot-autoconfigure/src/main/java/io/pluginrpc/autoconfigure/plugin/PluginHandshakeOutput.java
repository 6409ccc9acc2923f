package io.pluginrpc.autoconfigure.plugin;

/**
 * Where the handshake line goes: the process's real stdout by default. A bean of this
 * type replaces it, which tests use to run a plugin inside their own JVM.
 */
@FunctionalInterface
public interface PluginHandshakeOutput {

	/**
	 * @param line the formatted handshake line, newline included
	 */
	void write(String line);

}
