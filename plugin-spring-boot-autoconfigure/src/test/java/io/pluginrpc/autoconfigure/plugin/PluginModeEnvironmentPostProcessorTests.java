package io.pluginrpc.autoconfigure.plugin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.mock.env.MockEnvironment;

import io.pluginrpc.autoconfigure.SpringBootLine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plugin-mode defaults, on either Spring Boot line (the gRPC server integration's property is
 * {@link SpringBootLine}'s). While Spring AOT processes a plugin at build time, no host launched it:
 * defaults yes, cookie check no (the AOT property also keeps these tests from checking a cookie).
 */
class PluginModeEnvironmentPostProcessorTests {

	@AfterEach
	void clearAotProcessing() {
		System.clearProperty(PluginModeEnvironmentPostProcessor.AOT_PROCESSING);
	}

	@Test
	void springAotProcessingGetsThePluginDefaultsWithoutACookieCheck() {
		System.setProperty(PluginModeEnvironmentPostProcessor.AOT_PROCESSING, "true");
		// No such variable is set: outside AOT processing this would exit the JVM with go-plugin's message.
		MockEnvironment environment = new MockEnvironment()
			.withProperty("plugin-server.magic-cookie-key", "PLUGINRPC_TEST_COOKIE_NEVER_SET")
			.withProperty("plugin-server.magic-cookie-value", "hello");
		new PluginModeEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.main.web-application-type")).isEqualTo("none");
		assertThat(environment.getProperty("spring.main.banner-mode")).isEqualTo("off");
	}

	@Test
	void closesTheGrpcIntegrationsServerInPluginModeWhenItIsPresent() {
		System.setProperty(PluginModeEnvironmentPostProcessor.AOT_PROCESSING, "true");
		MockEnvironment environment = pluginEnvironment();
		new PluginModeEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty(SpringBootLine.GRPC_SERVER_OFF_PROPERTY))
			.isEqualTo(SpringBootLine.GRPC_SERVER_OFF_VALUE);

		MockEnvironment explicit = pluginEnvironment().withProperty(SpringBootLine.GRPC_SERVER_OFF_PROPERTY, "9191");
		new PluginModeEnvironmentPostProcessor().postProcessEnvironment(explicit, new SpringApplication());
		assertThat(explicit.getProperty(SpringBootLine.GRPC_SERVER_OFF_PROPERTY)).as("the application's setting wins")
			.isEqualTo("9191");
	}

	@Test
	void setsNoGrpcServerPropertyWithoutTheIntegration() {
		System.setProperty(PluginModeEnvironmentPostProcessor.AOT_PROCESSING, "true");
		SpringApplication application = new SpringApplication();
		application.setResourceLoader(
				new DefaultResourceLoader(new FilteredClassLoader(SpringBootLine.GRPC_SERVER_MARKER_CLASS)));
		MockEnvironment environment = pluginEnvironment();
		new PluginModeEnvironmentPostProcessor().postProcessEnvironment(environment, application);
		assertThat(environment.getProperty(SpringBootLine.GRPC_SERVER_OFF_PROPERTY)).isNull();
		assertThat(environment.getProperty("spring.main.banner-mode")).isEqualTo("off");
	}

	@Test
	void setsNothingOutsidePluginMode() {
		MockEnvironment environment = new MockEnvironment();
		new PluginModeEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getPropertySources().contains(PluginModeEnvironmentPostProcessor.PROPERTY_SOURCE_NAME))
			.isFalse();
		assertThat(environment.getProperty(SpringBootLine.GRPC_SERVER_OFF_PROPERTY))
			.as("a host's own gRPC server is its business")
			.isNull();
	}

	private static MockEnvironment pluginEnvironment() {
		return new MockEnvironment().withProperty("plugin-server.magic-cookie-key", "PLUGINRPC_TEST_COOKIE_NEVER_SET")
			.withProperty("plugin-server.magic-cookie-value", "hello");
	}

}
