package io.pluginrpc.autoconfigure.host;

/** A plugin is FAILED: its start failed, or it exited and will not be restarted. */
public class PluginFailedEvent extends PluginLifecycleEvent {

	private final String reason;

	public PluginFailedEvent(String plugin, String reason) {
		super(plugin);
		this.reason = reason;
	}

	/**
	 * @return why, naming the plugin
	 */
	public String getReason() {
		return this.reason;
	}

}
