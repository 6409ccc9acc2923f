package io.pluginrpc.autoconfigure.actuate;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

import io.pluginrpc.actuate.PluginMetrics;
import io.pluginrpc.actuate.PluginStateMeterBinder;
import io.pluginrpc.autoconfigure.SpringBootLine;
import io.pluginrpc.autoconfigure.host.PluginHostAutoConfiguration;
import io.pluginrpc.host.PluginClient;

/**
 * Micrometer meters for hosted plugins (see {@link PluginMetrics}) and a state gauge per
 * plugin.
 */
@AutoConfiguration(after = PluginHostAutoConfiguration.class,
		afterName = { SpringBootLine.METRICS_AUTO_CONFIGURATION,
				SpringBootLine.COMPOSITE_METER_REGISTRY_AUTO_CONFIGURATION })
@ConditionalOnClass(value = MeterRegistry.class, name = SpringBootLine.METRICS_AUTO_CONFIGURATION)
@ConditionalOnBean({ MeterRegistry.class, PluginClient.class })
public class PluginMetricsAutoConfiguration {

	@Bean
	PluginMetrics pluginMetrics(MeterRegistry registry) {
		return new PluginMetrics(registry);
	}

	@Bean
	PluginStateMeterBinder pluginStateMeterBinder(ListableBeanFactory beanFactory) {
		return new PluginStateMeterBinder(() -> PluginActuatorAutoConfiguration.clientsByName(beanFactory));
	}

}
