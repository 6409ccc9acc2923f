package io.pluginrpc.actuate;

import java.util.concurrent.TimeUnit;

import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginState;
import io.pluginrpc.host.StatusText;

/**
 * A hosted plugin's health: UP when it is running and its {@code plugin} health service says SERVING
 * (or, for a plugin without that service, its process is alive), DOWN with the reason otherwise (starting, restarting, failed, not serving), UNKNOWN for a lazy plugin
 * that has not been used yet. Details: state, pid, protocol version, network, address, TLS mode,
 * uptime, restarts, last exit status.
 */
public class PluginHealthIndicator extends AbstractHealthIndicator {

	private static final long CHECK_TIMEOUT_MILLIS = 2000;

	private final PluginClient client;

	public PluginHealthIndicator(PluginClient client) {
		super("Plugin health check failed");
		this.client = client;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.withDetails(PluginDescription.of(this.client, false));
		PluginState state = this.client.getState();
		if (state == PluginState.STOPPED && this.client.getConfig().lazy()) {
			builder.unknown().withDetail("reason", "lazy plugin, not started yet");
			return;
		}
		if (state != PluginState.RUNNING) {
			builder.down().withDetail("reason", (this.client.getLastFailure() != null) ? this.client.getLastFailure()
					: "the plugin is " + state.name().toLowerCase(java.util.Locale.ROOT));
			return;
		}
		if (Boolean.FALSE.equals(this.client.hasHealthService())) {
			// As go-plugin: no health service is required; the process tells whether the plugin is there.
			Health.Builder judged = this.client.isProcessAlive() ? builder.up() : builder.down();
			judged.withDetail("health", "from its process: the plugin serves no health service 'plugin'");
			return;
		}
		try {
			ServingStatus status = HealthGrpc.newBlockingStub(this.client.channel())
				.withDeadlineAfter(CHECK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
				.check(HealthCheckRequest.newBuilder().setService("plugin").build())
				.getStatus();
			if (status == ServingStatus.SERVING) {
				builder.up();
			}
			else {
				builder.down().withDetail("reason", "health service 'plugin' is " + status);
			}
		}
		catch (StatusRuntimeException ex) {
			builder.down().withDetail("reason", "health check failed: " + StatusText.of(ex.getStatus()));
		}
	}

}
