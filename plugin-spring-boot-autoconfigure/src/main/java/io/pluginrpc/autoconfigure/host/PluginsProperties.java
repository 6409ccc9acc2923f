package io.pluginrpc.autoconfigure.host;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The plugins this application hosts, by name: {@code plugins.<name>.*}. Each becomes a
 * {@link io.pluginrpc.host.PluginClient} bean named after it.
 */
@ConfigurationProperties
public class PluginsProperties {

	/** Prefix of the plugin map. */
	public static final String PREFIX = "plugins";

	/**
	 * The hosted plugins, by name.
	 */
	private Map<String, PluginProperties> plugins = new LinkedHashMap<>();

	public Map<String, PluginProperties> getPlugins() {
		return this.plugins;
	}

	public void setPlugins(Map<String, PluginProperties> plugins) {
		this.plugins = plugins;
	}

}
