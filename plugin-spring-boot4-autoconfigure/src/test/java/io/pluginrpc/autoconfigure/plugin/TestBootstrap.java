package io.pluginrpc.autoconfigure.plugin;

import org.springframework.context.ConfigurableApplicationContext;

import org.springframework.boot.bootstrap.DefaultBootstrapContext;

/**
 * Spring Boot 4's bootstrap context for the line-neutral
 * {@link PluginModeEnvironmentPostProcessorTests}.
 */
final class TestBootstrap {

	private final DefaultBootstrapContext context = new DefaultBootstrapContext();

	PluginModeEnvironmentPostProcessor postProcessor() {
		return new PluginModeEnvironmentPostProcessor(this.context);
	}

	<T> T get(Class<T> type) {
		return this.context.get(type);
	}

	boolean isRegistered(Class<?> type) {
		return this.context.isRegistered(type);
	}

	void close(ConfigurableApplicationContext applicationContext) {
		this.context.close(applicationContext);
	}

}
