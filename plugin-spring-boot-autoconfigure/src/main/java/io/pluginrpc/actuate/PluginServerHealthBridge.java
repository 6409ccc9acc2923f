package io.pluginrpc.actuate;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.springframework.context.SmartLifecycle;

import io.pluginrpc.core.transport.Transports;
import io.pluginrpc.plugin.PluginServer;

/**
 * Lets the plugin application's Actuator health drive its gRPC {@code plugin} health
 * status: a host (Go or Java) pinging the plugin sees NOT_SERVING while the application
 * is not UP. The question "is the application UP?" is asked through Boot's health
 * endpoint, whose package differs per Spring Boot line
 * ({@code PluginServerHealthConfiguration} of each line asks it).
 */
public class PluginServerHealthBridge implements SmartLifecycle {

	private final PluginServer server;

	private final BooleanSupplier up;

	private final Duration interval;

	private ScheduledExecutorService scheduler;

	/**
	 * @param server the plugin server whose {@code plugin} health status follows the
	 * application's
	 * @param up whether the application's health is UP now
	 * @param interval how often to ask
	 */
	public PluginServerHealthBridge(PluginServer server, BooleanSupplier up, Duration interval) {
		this.server = server;
		this.up = up;
		this.interval = interval;
	}

	/** Reads the application's health once and publishes it. */
	public void update() {
		this.server.setServing(this.up.getAsBoolean());
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
