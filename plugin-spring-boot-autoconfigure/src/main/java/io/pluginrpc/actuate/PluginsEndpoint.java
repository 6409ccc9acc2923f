package io.pluginrpc.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import io.pluginrpc.host.PluginClient;

/**
 * {@code /actuator/plugins}: every hosted plugin with its state, protocol version, pid,
 * address, uptime, restarts, last exit status and last stderr lines; {@code POST
 * /actuator/plugins/{name}} restarts one.
 */
@Endpoint(id = "plugins")
public class PluginsEndpoint {

	private final Map<String, PluginClient> clients;

	/**
	 * @param clients the plugins, by name
	 */
	public PluginsEndpoint(Map<String, PluginClient> clients) {
		this.clients = clients;
	}

	@ReadOperation
	public Map<String, Map<String, Object>> plugins() {
		Map<String, Map<String, Object>> all = new LinkedHashMap<>();
		this.clients.forEach((name, client) -> all.put(name, PluginDescription.of(client, true)));
		return all;
	}

	@ReadOperation
	public Map<String, Object> plugin(@Selector String name) {
		PluginClient client = this.clients.get(name);
		return (client != null) ? PluginDescription.of(client, true) : null;
	}

	/**
	 * Restarts a plugin: stop (Shutdown, then kill after the stop timeout) and start
	 * again.
	 * @param name the plugin
	 * @return its state afterwards, or {@code null} (404) for an unknown plugin
	 */
	@WriteOperation
	public Map<String, Object> restart(@Selector String name) {
		PluginClient client = this.clients.get(name);
		if (client == null) {
			return null;
		}
		client.stop();
		try {
			client.start();
		}
		catch (RuntimeException ex) {
			// The description carries the failure; the endpoint reports rather than
			// fails.
		}
		return PluginDescription.of(client, true);
	}

}
