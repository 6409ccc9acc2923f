package io.pluginrpc.actuate;

import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginState;

/**
 * Gauge {@code plugin.state} per plugin and state: 1 for the plugin's current state, 0
 * for the others, so dashboards can graph and alert on e.g. {@code state=failed}.
 */
public class PluginStateMeterBinder implements MeterBinder {

	private final Supplier<Map<String, PluginClient>> clients;

	/**
	 * @param clients the plugins, resolved when the gauges are bound (not when this
	 * binder is created)
	 */
	public PluginStateMeterBinder(Supplier<Map<String, PluginClient>> clients) {
		this.clients = clients;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.clients.get().forEach((bean, client) -> {
			for (PluginState state : PluginState.values()) {
				Gauge.builder("plugin.state", client, (c) -> (c.getState() == state) ? 1 : 0)
					.description("1 when the plugin is in this state")
					.tag("plugin", client.getName())
					.tag("state", state.name().toLowerCase(java.util.Locale.ROOT))
					.register(registry);
			}
		});
	}

}
