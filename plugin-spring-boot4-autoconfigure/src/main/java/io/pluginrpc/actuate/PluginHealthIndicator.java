package io.pluginrpc.actuate;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import io.pluginrpc.host.PluginClient;

/**
 * A hosted plugin's health in Actuator (Spring Boot 4): what {@link PluginHealthCheck}
 * finds.
 */
public class PluginHealthIndicator extends AbstractHealthIndicator {

	private final PluginClient client;

	public PluginHealthIndicator(PluginClient client) {
		super("Plugin health check failed");
		this.client = client;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		PluginHealthCheck.Result result = PluginHealthCheck.check(this.client);
		builder.status(result.status()).withDetails(result.details());
	}

}
