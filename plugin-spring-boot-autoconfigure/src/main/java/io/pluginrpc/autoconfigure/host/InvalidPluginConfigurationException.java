package io.pluginrpc.autoconfigure.host;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * A {@code plugins.<name>.*} property that cannot work. It is Spring Boot's
 * {@link InvalidConfigurationPropertyValueException}, so Boot's failure analyzer names
 * the property, its value, where the value was set (file and line, environment variable,
 * ...) and why it cannot work; the message names the plugin, the property, what was
 * expected and what was found.
 */
public class InvalidPluginConfigurationException extends InvalidConfigurationPropertyValueException {

	private final String pluginName;

	private final String message;

	/**
	 * @param pluginName the plugin
	 * @param property the property below {@code plugins.<name>.}, e.g. {@code command}
	 * @param value the value that cannot work
	 * @param problem what is wrong with it: what was expected and what was found
	 * @param cause what went wrong reading it, or {@code null}
	 */
	public InvalidPluginConfigurationException(String pluginName, String property, Object value, String problem,
			Throwable cause) {
		super(PluginsProperties.PREFIX + "." + pluginName + "." + property, value,
				"plugin '" + pluginName + "': " + problem);
		this.pluginName = pluginName;
		this.message = "Invalid configuration of plugin '" + pluginName + "': " + getName() + " " + problem;
		if (cause != null) {
			initCause(cause);
		}
	}

	@Override
	public String getMessage() {
		return this.message;
	}

	public String getPluginName() {
		return this.pluginName;
	}

	/**
	 * @return the full property name
	 */
	public String getProperty() {
		return getName();
	}

}
