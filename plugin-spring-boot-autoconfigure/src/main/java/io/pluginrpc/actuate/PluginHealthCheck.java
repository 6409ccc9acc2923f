package io.pluginrpc.actuate;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;

import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginState;
import io.pluginrpc.host.StatusText;

/**
 * A hosted plugin's health, free of Spring Boot's health types (which live in different
 * packages on Boot 3 and Boot 4): UP when it is running and its {@code plugin} health
 * service says SERVING (or, for a plugin without that service, its process is alive),
 * DOWN with the reason otherwise (starting, restarting, failed, not serving), UNKNOWN for
 * a lazy plugin that has not been used yet. Details: state, pid, protocol version,
 * network, address, TLS mode, uptime, restarts, last exit status.
 * {@link PluginHealthIndicator} hands the result to Actuator.
 */
public final class PluginHealthCheck {

	private static final long CHECK_TIMEOUT_MILLIS = 2000;

	private PluginHealthCheck() {
	}

	/**
	 * Checks one plugin.
	 * @param client the plugin
	 * @return its health: an Actuator status code ({@code UP}, {@code DOWN},
	 * {@code UNKNOWN}) and details
	 */
	public static Result check(PluginClient client) {
		Map<String, Object> details = new LinkedHashMap<>(PluginDescription.of(client, false));
		PluginState state = client.getState();
		if (state == PluginState.STOPPED && client.getConfig().lazy()) {
			details.put("reason", "lazy plugin, not started yet");
			return new Result("UNKNOWN", details);
		}
		if (state != PluginState.RUNNING) {
			details.put("reason", (client.getLastFailure() != null) ? client.getLastFailure()
					: "the plugin is " + state.name().toLowerCase(Locale.ROOT));
			return new Result("DOWN", details);
		}
		if (Boolean.FALSE.equals(client.hasHealthService())) {
			// As go-plugin: no health service is required; the process tells whether the
			// plugin is there.
			details.put("health", "from its process: the plugin serves no health service 'plugin'");
			return new Result(client.isProcessAlive() ? "UP" : "DOWN", details);
		}
		try {
			ServingStatus status = HealthGrpc.newBlockingStub(client.channel())
				.withDeadlineAfter(CHECK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
				.check(HealthCheckRequest.newBuilder().setService("plugin").build())
				.getStatus();
			if (status == ServingStatus.SERVING) {
				return new Result("UP", details);
			}
			details.put("reason", "health service 'plugin' is " + status);
			return new Result("DOWN", details);
		}
		catch (StatusRuntimeException ex) {
			details.put("reason", "health check failed: " + StatusText.of(ex.getStatus()));
			return new Result("DOWN", details);
		}
	}

	/**
	 * A plugin's health.
	 *
	 * @param status the Actuator status code
	 * @param details what Actuator shows with it
	 */
	public record Result(String status, Map<String, Object> details) {
	}

}
