package io.pluginrpc.autoconfigure.plugin;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.pluginrpc.actuate.PluginServerHealthBridge;
import io.pluginrpc.plugin.PluginServer;

/**
 * Actuator health drives the gRPC {@code plugin} health status (Spring Boot 4's health
 * endpoint); imported by {@link PluginServerAutoConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springframework.boot.health.actuate.endpoint.HealthEndpoint")
@ConditionalOnBean(type = "org.springframework.boot.health.actuate.endpoint.HealthEndpoint")
class PluginServerHealthConfiguration {

	@Bean
	PluginServerHealthBridge pluginServerHealthBridge(PluginServer pluginServer, HealthEndpoint healthEndpoint,
			PluginServerProperties properties) {
		return new PluginServerHealthBridge(pluginServer, () -> Status.UP.equals(healthEndpoint.health().getStatus()),
				properties.getHealthCheckInterval());
	}

}
