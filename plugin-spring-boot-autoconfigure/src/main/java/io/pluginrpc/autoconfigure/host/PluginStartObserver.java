package io.pluginrpc.autoconfigure.host;

import io.pluginrpc.host.PluginClient;

/**
 * Wraps every start of a hosted plugin (the first, lazy ones, restarts), e.g. in a
 * Micrometer {@code Observation} ({@code io.pluginrpc.actuate.PluginObservations}), so a
 * start's duration, outcome and the handshake inside it reach metrics and traces from one
 * place. At most one bean of this type is used.
 */
@FunctionalInterface
public interface PluginStartObserver {

	/** Runs the start as it is. */
	PluginStartObserver NONE = (client, start) -> start.run();

	/**
	 * @param client the plugin being started
	 * @param start the start; it throws {@link io.pluginrpc.host.PluginStartException}
	 * when it fails, which must reach the caller unchanged
	 */
	void observe(PluginClient client, Runnable start);

}
