package io.pluginrpc.autoconfigure.host;

/**
 * A plugin's process ended: stopped on request, killed after its stop-timeout, or
 * crashed.
 */
public class PluginStoppedEvent extends PluginLifecycleEvent {

	private final String cause;

	public PluginStoppedEvent(String plugin, String cause) {
		super(plugin);
		this.cause = cause;
	}

	/**
	 * @return {@code stopped}, {@code killed} or {@code crashed}
	 */
	public String getCause() {
		return this.cause;
	}

}
