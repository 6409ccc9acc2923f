package io.pluginrpc.plugin;

import java.time.Duration;
import java.util.Map;

/**
 * How a plugin serves.
 *
 * @param environment the process environment (go-plugin's {@code PLUGIN_*} variables)
 * @param network {@code unix} (go-plugin's choice on Linux and macOS) or {@code tcp} (loopback, inside
 * {@code PLUGIN_MIN_PORT..PLUGIN_MAX_PORT})
 * @param shutdownGracePeriod how long in-flight calls may finish when the plugin stops
 * @param brokerTimeout how long broker dials wait for, and keep, announcements
 */
public record PluginServerSettings(Map<String, String> environment, String network, Duration shutdownGracePeriod,
		Duration brokerTimeout) {

	public PluginServerSettings {
		environment = Map.copyOf(environment);
		if (!"unix".equals(network) && !"tcp".equals(network)) {
			throw new IllegalArgumentException("network must be 'unix' or 'tcp', but was '" + network + "'");
		}
	}

}
