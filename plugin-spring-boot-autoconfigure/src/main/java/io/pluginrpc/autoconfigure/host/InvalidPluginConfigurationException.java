package io.pluginrpc.autoconfigure.host;

/** A {@code plugins.<name>.*} property that cannot work; the message names the plugin and the property. */
public class InvalidPluginConfigurationException extends IllegalStateException {

	private final String pluginName;

	private final String property;

	public InvalidPluginConfigurationException(String pluginName, String property, String problem, Throwable cause) {
		super("Invalid configuration of plugin '" + pluginName + "': " + PluginsProperties.PREFIX + "." + pluginName + "."
				+ property + " " + problem, cause);
		this.pluginName = pluginName;
		this.property = property;
	}

	public String getPluginName() {
		return this.pluginName;
	}

	/** @return the full property name */
	public String getProperty() {
		return PluginsProperties.PREFIX + "." + this.pluginName + "." + this.property;
	}

}
