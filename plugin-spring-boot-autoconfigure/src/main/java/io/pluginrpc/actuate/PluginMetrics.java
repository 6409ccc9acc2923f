package io.pluginrpc.actuate;

import java.time.Duration;
import java.util.List;

import io.grpc.ClientInterceptor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingClientInterceptor;

import io.pluginrpc.autoconfigure.host.PluginClientInterceptors;
import io.pluginrpc.host.PluginEventListener;
import io.pluginrpc.host.PluginStartException;
import io.pluginrpc.logging.PluginLogLevel;

/**
 * Micrometer meters of hosted plugins, each tagged {@code plugin=<name>}:
 * {@code plugin.starts}, {@code plugin.start.failures} (by {@code reason}),
 * {@code plugin.handshake.duration}, {@code plugin.restarts}, {@code plugin.exits} (by
 * {@code cause}), {@code plugin.start.duration} (launch to healthy connection, handshake
 * included), {@code plugin.log.lines} (by {@code level}), and Micrometer's own gRPC
 * client meters ({@code grpc.client.*}, by method and status).
 */
public class PluginMetrics implements PluginEventListener, PluginClientInterceptors {

	private final MeterRegistry registry;

	public PluginMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void started(String plugin, Duration startup) {
		counter("plugin.starts", "Plugin starts (first start and restarts)", plugin).increment();
		Timer.builder("plugin.start.duration")
			.description("Time from launching a plugin to a healthy connection, handshake included")
			.tag("plugin", plugin)
			.register(this.registry)
			.record(startup);
	}

	@Override
	public void handshake(String plugin, Duration latency) {
		Timer.builder("plugin.handshake.duration")
			.description("Time from launching a plugin to its handshake line")
			.tag("plugin", plugin)
			.register(this.registry)
			.record(latency);
	}

	@Override
	public void startFailed(String plugin, PluginStartException.Reason reason) {
		Counter.builder("plugin.start.failures")
			.description("Plugin starts that failed")
			.tag("plugin", plugin)
			.tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT))
			.register(this.registry)
			.increment();
	}

	@Override
	public void exited(String plugin, String cause) {
		Counter.builder("plugin.exits")
			.description("Plugin process exits by cause: stopped, killed (after the stop timeout) or crashed")
			.tag("plugin", plugin)
			.tag("cause", cause)
			.register(this.registry)
			.increment();
	}

	@Override
	public void restarting(String plugin) {
		counter("plugin.restarts", "Restarts of crashed plugins", plugin).increment();
	}

	@Override
	public void logLine(String plugin, PluginLogLevel level) {
		Counter.builder("plugin.log.lines")
			.description("Lines a plugin wrote on stderr, by the level they were logged at")
			.tag("plugin", plugin)
			.tag("level", level.name().toLowerCase(java.util.Locale.ROOT))
			.register(this.registry)
			.increment();
	}

	@Override
	public List<ClientInterceptor> forPlugin(String pluginName) {
		return List.of(new MetricCollectingClientInterceptor(this.registry,
				(counter) -> counter.tag("plugin", pluginName), (timer) -> timer.tag("plugin", pluginName)));
	}

	private Counter counter(String name, String description, String plugin) {
		return Counter.builder(name).description(description).tag("plugin", plugin).register(this.registry);
	}

}
