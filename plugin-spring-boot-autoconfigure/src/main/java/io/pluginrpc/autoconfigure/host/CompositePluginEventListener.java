package io.pluginrpc.autoconfigure.host;

import java.time.Duration;
import java.util.List;

import io.pluginrpc.host.PluginEventListener;
import io.pluginrpc.host.PluginStartException;
import io.pluginrpc.logging.PluginLogLevel;

/** Tells every {@link PluginEventListener} bean what happens to a plugin. */
final class CompositePluginEventListener implements PluginEventListener {

	private final List<PluginEventListener> listeners;

	CompositePluginEventListener(List<PluginEventListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	@Override
	public void started(String plugin, Duration startup, int restarts) {
		this.listeners.forEach((listener) -> listener.started(plugin, startup, restarts));
	}

	@Override
	public void failed(String plugin, String reason) {
		this.listeners.forEach((listener) -> listener.failed(plugin, reason));
	}

	@Override
	public void handshake(String plugin, Duration latency) {
		this.listeners.forEach((listener) -> listener.handshake(plugin, latency));
	}

	@Override
	public void startFailed(String plugin, PluginStartException.Reason reason) {
		this.listeners.forEach((listener) -> listener.startFailed(plugin, reason));
	}

	@Override
	public void exited(String plugin, String cause) {
		this.listeners.forEach((listener) -> listener.exited(plugin, cause));
	}

	@Override
	public void restarting(String plugin) {
		this.listeners.forEach((listener) -> listener.restarting(plugin));
	}

	@Override
	public void logLine(String plugin, PluginLogLevel level) {
		this.listeners.forEach((listener) -> listener.logLine(plugin, level));
	}

}
