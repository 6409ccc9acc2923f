package io.pluginrpc.autoconfigure.host;

import org.springframework.context.ApplicationEvent;

/**
 * Something happened to a hosted plugin; the source is the plugin's name
 * ({@code plugins.<name>}). Published on the thread that saw it (the plugin's start,
 * supervisor or exit watcher): listeners must return quickly, and use a
 * {@link io.pluginrpc.host.PluginInitializer} to act on the plugin after a (re)start.
 */
public abstract class PluginLifecycleEvent extends ApplicationEvent {

	protected PluginLifecycleEvent(String plugin) {
		super(plugin);
	}

	/**
	 * @return the plugin's name
	 */
	public String getPlugin() {
		return (String) getSource();
	}

}
