package io.pluginrpc.autoconfigure.host;

import org.springframework.context.SmartLifecycle;

import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginClientConfig;
import io.pluginrpc.host.PluginState;

/**
 * A {@link PluginClient} whose life follows the application context: the plugin starts with the
 * application (early, so beans that call it in their own lifecycle find it running) and stops with it.
 */
public class ManagedPluginClient extends PluginClient implements SmartLifecycle {

	/** Starts before the web server and other late lifecycles, stops after them. */
	public static final int PHASE = Integer.MIN_VALUE / 2;

	public ManagedPluginClient(PluginClientConfig config) {
		super(config);
	}

	@Override
	public boolean isRunning() {
		return getState() == PluginState.RUNNING || getState() == PluginState.STARTING;
	}

	@Override
	public boolean isAutoStartup() {
		return !getConfig().lazy();
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
