package io.pluginrpc.autoconfigure.host;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.env.Environment;

import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginHost;

/**
 * Makes the application a go-plugin host: each {@code plugins.<name>} becomes a managed
 * {@link PluginClient} bean with typed stub beans, all on one {@link PluginHost} the
 * context owns; what happens to the plugins is also published as
 * {@link PluginLifecycleEvent}s.
 */
@AutoConfiguration
@ConditionalOnClass(PluginClient.class)
@EnableConfigurationProperties(PluginsProperties.class)
@Import(PluginClientRegistrar.class)
@ImportRuntimeHints(PluginHostRuntimeHints.class)
public class PluginHostAutoConfiguration {

	@Bean(PluginClientFactory.BEAN_NAME)
	@ConditionalOnMissingBean
	PluginClientFactory pluginClientFactory(Environment environment, ConfigurableListableBeanFactory beanFactory) {
		return new PluginClientFactory(environment, beanFactory, beanFactory.getBeanClassLoader());
	}

	@Bean
	@ConditionalOnMissingBean
	PluginHost pluginHost() {
		return PluginHost.createManaged();
	}

	@Bean
	PluginHostShutdown pluginHostShutdown(PluginHost pluginHost) {
		return new PluginHostShutdown(pluginHost);
	}

	@Bean
	ConcurrentPluginStartup concurrentPluginStartup(ObjectProvider<ManagedPluginClient> clients) {
		return new ConcurrentPluginStartup(clients);
	}

	@Bean
	@ConditionalOnMissingBean
	PluginApplicationEvents pluginApplicationEvents(ApplicationEventPublisher publisher) {
		return new PluginApplicationEvents(publisher);
	}

}
