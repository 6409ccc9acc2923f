package io.pluginrpc.plugin;

import java.time.Duration;
import java.util.Map;

import io.pluginrpc.core.tls.TlsIdentity;

/**
 * How a plugin serves.
 *
 * @param environment the process environment (go-plugin's {@code PLUGIN_*} variables)
 * @param network {@code unix} (go-plugin's choice on Linux and macOS) or {@code tcp}
 * (loopback, inside {@code PLUGIN_MIN_PORT..PLUGIN_MAX_PORT})
 * @param shutdownGracePeriod how long in-flight calls may finish when the plugin stops
 * @param brokerTimeout how long broker dials wait for, and keep, announcements
 * @param tls the plugin's own certificate and the host certificates it trusts
 * (go-plugin's {@code TLSProvider}), used instead of AutoMTLS; {@code null} for AutoMTLS
 * when the host asks for it
 * @param debug go-plugin's test mode ({@code ServeTestConfig}): no host launched the
 * plugin, so no AutoMTLS and no multiplexing are negotiated, and
 * {@link PluginServer#reattachInfo()} tells a host how to attach
 */
public record PluginServerSettings(Map<String, String> environment, String network, Duration shutdownGracePeriod,
		Duration brokerTimeout, TlsIdentity tls, boolean debug) {

	public PluginServerSettings {
		environment = Map.copyOf(environment);
		if (!"unix".equals(network) && !"tcp".equals(network)) {
			throw new IllegalArgumentException("network must be 'unix' or 'tcp', but was '" + network + "'");
		}
	}

	/**
	 * Settings of a plugin launched by its host, with AutoMTLS when the host asks for it.
	 * @param environment the process environment
	 * @param network {@code unix} or {@code tcp}
	 * @param shutdownGracePeriod how long in-flight calls may finish when the plugin
	 * stops
	 * @param brokerTimeout how long broker dials wait for, and keep, announcements
	 */
	public PluginServerSettings(Map<String, String> environment, String network, Duration shutdownGracePeriod,
			Duration brokerTimeout) {
		this(environment, network, shutdownGracePeriod, brokerTimeout, null, false);
	}

}
