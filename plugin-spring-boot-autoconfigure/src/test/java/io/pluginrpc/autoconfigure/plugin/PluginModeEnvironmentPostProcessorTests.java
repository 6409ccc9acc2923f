package io.pluginrpc.autoconfigure.plugin;

import java.io.PrintStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.mock.env.MockEnvironment;

import io.pluginrpc.autoconfigure.SpringBootLine;
import io.pluginrpc.plugin.EarlyCertificate;
import io.pluginrpc.plugin.PluginParent;
import io.pluginrpc.plugin.PluginStdout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plugin-mode defaults. While Spring AOT processes a plugin at build time, no host
 * launched it: defaults yes, cookie check no (the AOT property also keeps these tests
 * from checking a cookie). The objects made at start reach the application context
 * through the bootstrap context ({@link TestBootstrap}, one per Spring Boot line).
 */
class PluginModeEnvironmentPostProcessorTests {

	@AfterEach
	void clearAotProcessing() {
		System.clearProperty(PluginModeEnvironmentPostProcessor.AOT_PROCESSING);
	}

	@Test
	void springAotProcessingGetsThePluginDefaultsWithoutACookieCheck() {
		System.setProperty(PluginModeEnvironmentPostProcessor.AOT_PROCESSING, "true");
		// No such variable is set: outside AOT processing this would exit the JVM with
		// go-plugin's message.
		MockEnvironment environment = new MockEnvironment()
			.withProperty("plugin-server.magic-cookie-key", "PLUGINRPC_TEST_COOKIE_NEVER_SET")
			.withProperty("plugin-server.magic-cookie-value", "hello");
		new TestBootstrap().postProcessor().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.main.web-application-type")).isEqualTo("none");
		assertThat(environment.getProperty("spring.main.banner-mode")).isEqualTo("off");
	}

	@Test
	void closesTheGrpcIntegrationsServerInPluginModeWhenItIsPresent() {
		System.setProperty(PluginModeEnvironmentPostProcessor.AOT_PROCESSING, "true");
		MockEnvironment environment = pluginEnvironment();
		new TestBootstrap().postProcessor().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty(SpringBootLine.GRPC_SERVER_OFF_PROPERTY))
			.isEqualTo(SpringBootLine.GRPC_SERVER_OFF_VALUE);

		MockEnvironment explicit = pluginEnvironment().withProperty(SpringBootLine.GRPC_SERVER_OFF_PROPERTY, "9191");
		new TestBootstrap().postProcessor().postProcessEnvironment(explicit, new SpringApplication());
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
		new TestBootstrap().postProcessor().postProcessEnvironment(environment, application);
		assertThat(environment.getProperty(SpringBootLine.GRPC_SERVER_OFF_PROPERTY)).isNull();
		assertThat(environment.getProperty("spring.main.banner-mode")).isEqualTo("off");
	}

	@Test
	void setsNothingOutsidePluginMode() {
		MockEnvironment environment = new MockEnvironment();
		new TestBootstrap().postProcessor().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getPropertySources().contains(PluginModeEnvironmentPostProcessor.PROPERTY_SOURCE_NAME))
			.isFalse();
		assertThat(environment.getProperty(SpringBootLine.GRPC_SERVER_OFF_PROPERTY))
			.as("a host's own gRPC server is its business")
			.isNull();
	}

	@Test
	void handsTheObjectsMadeAtStartToTheApplicationContext() {
		PrintStream systemOut = System.out;
		try {
			// A cookie the test JVM has: PATH with its own value, so the check passes.
			MockEnvironment environment = new MockEnvironment().withProperty("plugin-server.magic-cookie-key", "PATH")
				.withProperty("plugin-server.magic-cookie-value", System.getenv("PATH"));
			TestBootstrap bootstrap = new TestBootstrap();
			bootstrap.postProcessor().postProcessEnvironment(environment, new SpringApplication());
			assertThat(System.out).as("stdout is guarded").isNotSameAs(systemOut);
			PluginStdout stdout = bootstrap.get(PluginStdout.class);
			PluginParent parent = bootstrap.get(PluginParent.class);
			EarlyCertificate certificate = bootstrap.get(EarlyCertificate.class);
			try (GenericApplicationContext context = new GenericApplicationContext()) {
				bootstrap.close(context);
				assertThat(context.getBeanFactory().getBean(PluginStdout.class)).isSameAs(stdout);
				assertThat(context.getBeanFactory().getBean(PluginParent.class)).isSameAs(parent);
				assertThat(context.getBeanFactory().getBean(EarlyCertificate.class)).isSameAs(certificate);
			}
		}
		finally {
			System.setOut(systemOut);
		}
	}

	@Test
	void debugModeOnlyGuardsStdout() {
		PrintStream systemOut = System.out;
		try {
			MockEnvironment environment = pluginEnvironment().withProperty("plugin-server.debug", "true");
			TestBootstrap bootstrap = new TestBootstrap();
			bootstrap.postProcessor().postProcessEnvironment(environment, new SpringApplication());
			assertThat(bootstrap.isRegistered(PluginStdout.class)).isTrue();
			assertThat(bootstrap.isRegistered(PluginParent.class)).isFalse();
			assertThat(bootstrap.isRegistered(EarlyCertificate.class)).isFalse();
			assertThat(System.out).isNotSameAs(systemOut);
		}
		finally {
			System.setOut(systemOut);
		}
	}

	@Test
	void aotProcessingMakesNothing() {
		System.setProperty(PluginModeEnvironmentPostProcessor.AOT_PROCESSING, "true");
		TestBootstrap bootstrap = new TestBootstrap();
		bootstrap.postProcessor().postProcessEnvironment(pluginEnvironment(), new SpringApplication());
		assertThat(bootstrap.isRegistered(PluginStdout.class)).isFalse();
		assertThat(bootstrap.isRegistered(PluginParent.class)).isFalse();
	}

	private static MockEnvironment pluginEnvironment() {
		return new MockEnvironment().withProperty("plugin-server.magic-cookie-key", "PLUGINRPC_TEST_COOKIE_NEVER_SET")
			.withProperty("plugin-server.magic-cookie-value", "hello");
	}

}
