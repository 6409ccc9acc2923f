package io.pluginrpc.autoconfigure.host;

import java.util.List;

import io.grpc.Channel;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginClientConfig;
import io.pluginrpc.host.PluginEventListener;
import io.pluginrpc.host.PluginHost;
import io.pluginrpc.host.PluginInitializer;
import io.pluginrpc.host.PluginStartException;
import io.pluginrpc.host.PluginState;
import io.pluginrpc.host.RestartPolicy;

/**
 * A {@link PluginClient} whose life follows the application context: the plugin starts
 * with the application (early, so beans that call it in their own lifecycle find it
 * running) and stops with it. With {@code fail-fast=false} a plugin that cannot start
 * leaves the application running, the plugin DOWN and its restart scheduled.
 */
public class ManagedPluginClient extends PluginClient implements SmartLifecycle {

	/** Starts before the web server and other late lifecycles, stops after them. */
	public static final int PHASE = Integer.MIN_VALUE / 2;

	private static final Logger logger = LoggerFactory.getLogger(ManagedPluginClient.class);

	private final boolean failFast;

	private final Channel interceptedChannel;

	private final PluginStartObserver startObserver;

	public ManagedPluginClient(PluginClientConfig config, PluginHost host) {
		this(config, host, RestartPolicy.NEVER, PluginEventListener.NONE, List.of(), true, List.of());
	}

	public ManagedPluginClient(PluginClientConfig config, PluginHost host, RestartPolicy restartPolicy,
			PluginEventListener events, List<PluginInitializer> initializers, boolean failFast,
			List<ClientInterceptor> interceptors) {
		this(config, host, restartPolicy, events, initializers, failFast, interceptors, PluginStartObserver.NONE);
	}

	/**
	 * @param config how to launch and reach the plugin
	 * @param host what the application's plugins share
	 * @param restartPolicy what to do when it exits on its own
	 * @param events told what happens (metrics, application events)
	 * @param initializers run after every start and restart, before the plugin counts as
	 * RUNNING
	 * @param failFast whether a failed start fails the application start
	 * @param interceptors applied to every call through {@link #channel()} (e.g. metrics)
	 * @param startObserver wraps every start, restarts included (e.g. an observation)
	 */
	public ManagedPluginClient(PluginClientConfig config, PluginHost host, RestartPolicy restartPolicy,
			PluginEventListener events, List<PluginInitializer> initializers, boolean failFast,
			List<ClientInterceptor> interceptors, PluginStartObserver startObserver) {
		super(config, host, restartPolicy, events, initializers);
		this.failFast = failFast;
		this.interceptedChannel = ClientInterceptors.intercept(super.channel(), interceptors);
		this.startObserver = startObserver;
	}

	/**
	 * Every start goes through here, restarts and lazy starts included, so the observer
	 * sees them all.
	 */
	@Override
	public void start() {
		try {
			this.startObserver.observe(this, super::start);
		}
		catch (PluginStartException ex) {
			if (this.failFast) {
				throw ex;
			}
			logger.error("{} (plugins.{}.fail-fast=false: the application starts without it)", ex.getMessage(),
					getName());
			retryLater();
		}
	}

	@Override
	public Channel channel() {
		return this.interceptedChannel;
	}

	@Override
	public boolean isRunning() {
		PluginState state = getState();
		return state == PluginState.RUNNING || state == PluginState.STARTING || state == PluginState.RESTARTING;
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
