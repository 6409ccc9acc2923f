package io.pluginrpc.autoconfigure.host;

/** A crashed plugin is about to be started again (its backoff is over). */
public class PluginRestartingEvent extends PluginLifecycleEvent {

	public PluginRestartingEvent(String plugin) {
		super(plugin);
	}

}
