package io.pluginrpc.host;

/**
 * Brings a plugin into the state the application needs after every start and restart,
 * before the plugin counts as {@link PluginState#RUNNING}: go-plugin plugins keep what
 * they are configured with in memory (Terraform's {@code ConfigureProvider}, a notifier's
 * {@code Configure}), and a restarted process has forgotten it. Runs after the handshake
 * and the health check, on the thread that (re)starts the plugin; stubs on
 * {@link PluginClient#channel()} reach the new process from inside it, while calls from
 * other threads still wait ({@code restart.call-wait}) or fail with {@code UNAVAILABLE}.
 * <p>
 * Every initializer is called for every plugin: read {@link PluginClient#getName()} to
 * pick yours. One that throws fails that start like a failed handshake (reason
 * {@code INITIALIZE}): the first start fails the application, a restart is retried after
 * the backoff.
 */
@FunctionalInterface
public interface PluginInitializer {

	/**
	 * @param client the plugin that just started, connected and healthy
	 * @throws Exception if the plugin cannot be brought into the needed state
	 */
	void initialize(PluginClient client) throws Exception;

}
