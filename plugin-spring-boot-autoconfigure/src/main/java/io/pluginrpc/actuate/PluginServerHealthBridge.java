package io.pluginrpc.actuate;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.context.SmartLifecycle;

import io.pluginrpc.core.transport.Transports;
import io.pluginrpc.plugin.PluginServer;

/**
 * Lets the plugin application's Actuator health drive its gRPC {@code plugin} health status: a host
 * (Go or Java) pinging the plugin sees NOT_SERVING while the application is not UP.
 */
public class PluginServerHealthBridge implements SmartLifecycle {

	private final PluginServer server;

	private final HealthEndpoint health;

	private final Duration interval;

	private ScheduledExecutorService scheduler;

	public PluginServerHealthBridge(PluginServer server, HealthEndpoint health, Duration interval) {
		this.server = server;
		this.health = health;
		this.interval = interval;
	}

	/** Reads the application's health once and publishes it. */
	public void update() {
		this.server.setServing(Status.UP.equals(this.health.health().getStatus()));
	}

	@Override
	public void start() {
		this.scheduler = Executors.newSingleThreadScheduledExecutor(Transports.daemonThreads("plugin-health"));
		this.scheduler.scheduleWithFixedDelay(this::update, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null && !this.scheduler.isShutdown();
	}

	@Override
	public int getPhase() {
		// After the plugin server has started, before it stops.
		return io.pluginrpc.autoconfigure.plugin.PluginServerLifecycle.PHASE + 1;
	}

}
