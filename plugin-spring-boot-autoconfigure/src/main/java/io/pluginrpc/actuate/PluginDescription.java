package io.pluginrpc.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pluginrpc.core.handshake.HandshakeLine;
import io.pluginrpc.host.PluginClient;

/** What health details and the {@code plugins} endpoint say about one plugin. */
final class PluginDescription {

	private PluginDescription() {
	}

	/**
	 * @param client the plugin
	 * @param withStderr whether to include its recent stderr lines
	 * @return ordered details, without nulls
	 */
	static Map<String, Object> of(PluginClient client, boolean withStderr) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("state", client.getState().name());
		HandshakeLine handshake = client.getHandshake();
		put(details, "pid", client.getPid());
		put(details, "protocolVersion", client.getNegotiatedVersion());
		if (handshake != null) {
			details.put("network", handshake.network());
			details.put("address", handshake.address());
		}
		put(details, "tls", client.getTlsMode());
		Instant started = client.getStartedAt();
		if (started != null) {
			details.put("uptime", Duration.between(started, Instant.now()).withNanos(0).toString());
		}
		details.put("restarts", client.getRestarts());
		put(details, "lastExitStatus", client.getLastExitStatus());
		put(details, "lastFailure", client.getLastFailure());
		if (withStderr) {
			List<String> stderr = client.getRecentStderr();
			details.put("recentStderr", stderr.subList(Math.max(0, stderr.size() - 20), stderr.size()));
		}
		return details;
	}

	private static void put(Map<String, Object> details, String key, Object value) {
		if (value != null) {
			details.put(key, value);
		}
	}

}
