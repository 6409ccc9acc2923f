package io.pluginrpc.autoconfigure.host;

import java.time.Duration;

import org.springframework.context.ApplicationEventPublisher;

import io.pluginrpc.host.PluginEventListener;

/**
 * Publishes what happens to the plugins as {@link PluginLifecycleEvent}s of the
 * application context.
 */
public class PluginApplicationEvents implements PluginEventListener {

	private final ApplicationEventPublisher publisher;

	public PluginApplicationEvents(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void started(String plugin, Duration startup, int restarts) {
		this.publisher.publishEvent(new PluginStartedEvent(plugin, startup, restarts));
	}

	@Override
	public void restarting(String plugin) {
		this.publisher.publishEvent(new PluginRestartingEvent(plugin));
	}

	@Override
	public void exited(String plugin, String cause) {
		this.publisher.publishEvent(new PluginStoppedEvent(plugin, cause));
	}

	@Override
	public void failed(String plugin, String reason) {
		this.publisher.publishEvent(new PluginFailedEvent(plugin, reason));
	}

}
