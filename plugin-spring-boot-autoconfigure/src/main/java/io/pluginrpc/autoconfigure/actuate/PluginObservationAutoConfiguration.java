package io.pluginrpc.autoconfigure.actuate;

import io.micrometer.core.instrument.binder.grpc.ObservationGrpcClientInterceptor;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.pluginrpc.actuate.PluginObservations;
import io.pluginrpc.autoconfigure.SpringBootLine;
import io.pluginrpc.autoconfigure.host.PluginHostAutoConfiguration;
import io.pluginrpc.host.PluginClient;

/**
 * Micrometer observations of hosted plugins ({@link PluginObservations}): calls through
 * the stubs and plugin starts, for whatever observation handlers the application has
 * (Boot registers metrics and, with a tracer, tracing handlers).
 */
@AutoConfiguration(after = PluginHostAutoConfiguration.class, afterName = SpringBootLine.OBSERVATION_AUTO_CONFIGURATION)
@ConditionalOnClass({ ObservationRegistry.class, ObservationGrpcClientInterceptor.class })
@ConditionalOnBean({ ObservationRegistry.class, PluginClient.class })
public class PluginObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PluginObservations pluginObservations(ObservationRegistry registry) {
		return new PluginObservations(registry);
	}

}
