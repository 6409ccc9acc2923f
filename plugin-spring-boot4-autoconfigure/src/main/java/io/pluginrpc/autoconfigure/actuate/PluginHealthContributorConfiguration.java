package io.pluginrpc.autoconfigure.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.pluginrpc.actuate.PluginHealthIndicator;

/**
 * The {@code plugins} health contributor, one {@link PluginHealthIndicator} per hosted
 * plugin (Spring Boot 4's health types); imported by
 * {@link PluginActuatorAutoConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnEnabledHealthIndicator("plugins")
class PluginHealthContributorConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "pluginsHealthContributor")
	HealthContributor pluginsHealthContributor(ListableBeanFactory beanFactory) {
		Map<String, HealthContributor> indicators = new LinkedHashMap<>();
		PluginActuatorAutoConfiguration.clientsByName(beanFactory)
			.forEach((name, client) -> indicators.put(name, new PluginHealthIndicator(client)));
		return CompositeHealthContributor.fromMap(indicators);
	}

}
