package io.pluginrpc.autoconfigure.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import io.pluginrpc.actuate.PluginsEndpoint;
import io.pluginrpc.autoconfigure.SpringBootLine;
import io.pluginrpc.autoconfigure.host.PluginHostAutoConfiguration;
import io.pluginrpc.host.PluginClient;

/**
 * Actuator support for hosted plugins: a {@code plugins} health contributor with one
 * entry per plugin ({@code /actuator/health/plugins/kv},
 * {@link PluginHealthContributorConfiguration}, one per Spring Boot line) and the
 * {@code plugins} endpoint.
 */
@AutoConfiguration(after = PluginHostAutoConfiguration.class)
@ConditionalOnClass(name = SpringBootLine.HEALTH_CONTRIBUTOR)
@ConditionalOnBean(PluginClient.class)
@Import(PluginHealthContributorConfiguration.class)
public class PluginActuatorAutoConfiguration {

	static Map<String, PluginClient> clientsByName(ListableBeanFactory beanFactory) {
		Map<String, PluginClient> clients = new LinkedHashMap<>();
		beanFactory.getBeansOfType(PluginClient.class)
			.values()
			.forEach((client) -> clients.put(client.getName(), client));
		return clients;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnAvailableEndpoint(PluginsEndpoint.class)
	static class PluginsEndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		PluginsEndpoint pluginsEndpoint(ListableBeanFactory beanFactory) {
			return new PluginsEndpoint(clientsByName(beanFactory));
		}

	}

}
