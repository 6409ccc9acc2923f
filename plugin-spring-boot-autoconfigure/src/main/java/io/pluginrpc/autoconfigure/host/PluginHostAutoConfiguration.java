package io.pluginrpc.autoconfigure.host;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import io.pluginrpc.host.PluginClient;

/**
 * Makes the application a go-plugin host: each {@code plugins.<name>} becomes a managed
 * {@link PluginClient} bean with typed stub beans.
 */
@AutoConfiguration
@ConditionalOnClass(PluginClient.class)
@EnableConfigurationProperties(PluginsProperties.class)
public class PluginHostAutoConfiguration {

	@Bean
	static PluginClientRegistrar pluginClientRegistrar() {
		return new PluginClientRegistrar();
	}

}
