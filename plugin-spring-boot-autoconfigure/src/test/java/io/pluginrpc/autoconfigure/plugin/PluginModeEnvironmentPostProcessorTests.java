package io.pluginrpc.autoconfigure.plugin;

import java.io.PrintStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.DefaultBootstrapContext;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.mock.env.MockEnvironment;

import io.pluginrpc.plugin.EarlyCertificate;
import io.pluginrpc.plugin.PluginParent;
import io.pluginrpc.plugin.PluginStdout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plugin-mode defaults. While Spring AOT processes a plugin at build time, no host launched it:
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
		new PluginModeEnvironmentPostProcessor(new DefaultBootstrapContext()).postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.main.web-application-type")).isEqualTo("none");
		assertThat(environment.getProperty("spring.main.banner-mode")).isEqualTo("off");
	}

	@Test
	void closesNetDevhsServerInPluginModeWhenNetDevhIsPresent() {
		System.setProperty(PluginModeEnvironmentPostProcessor.AOT_PROCESSING, "true");
		MockEnvironment environment = pluginEnvironment();
		new PluginModeEnvironmentPostProcessor(new DefaultBootstrapContext()).postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("grpc.server.port")).isEqualTo("-1");

		MockEnvironment explicit = pluginEnvironment().withProperty("grpc.server.port", "9191");
		new PluginModeEnvironmentPostProcessor(new DefaultBootstrapContext()).postProcessEnvironment(explicit, new SpringApplication());
		assertThat(explicit.getProperty("grpc.server.port")).as("the application's setting wins").isEqualTo("9191");
	}

	@Test
	void setsNoGrpcServerPropertyWithoutNetDevh() {
		System.setProperty(PluginModeEnvironmentPostProcessor.AOT_PROCESSING, "true");
		SpringApplication application = new SpringApplication();
		application.setResourceLoader(new DefaultResourceLoader(new FilteredClassLoader("net.devh.")));
		MockEnvironment environment = pluginEnvironment();
		new PluginModeEnvironmentPostProcessor(new DefaultBootstrapContext()).postProcessEnvironment(environment, application);
		assertThat(environment.getProperty("grpc.server.port")).isNull();
		assertThat(environment.getProperty("spring.main.banner-mode")).isEqualTo("off");
	}

	@Test
	void setsNothingOutsidePluginMode() {
		MockEnvironment environment = new MockEnvironment();
		new PluginModeEnvironmentPostProcessor(new DefaultBootstrapContext()).postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getPropertySources().contains(PluginModeEnvironmentPostProcessor.PROPERTY_SOURCE_NAME))
			.isFalse();
		assertThat(environment.getProperty("grpc.server.port")).as("a host's own net.devh server is its business").isNull();
	}

	@Test
	void handsTheObjectsMadeAtStartToTheApplicationContext() {
		PrintStream systemOut = System.out;
		try {
			// A cookie the test JVM has: PATH with its own value, so the check passes.
			MockEnvironment environment = new MockEnvironment().withProperty("plugin-server.magic-cookie-key", "PATH")
				.withProperty("plugin-server.magic-cookie-value", System.getenv("PATH"));
			DefaultBootstrapContext bootstrap = new DefaultBootstrapContext();
			new PluginModeEnvironmentPostProcessor(bootstrap).postProcessEnvironment(environment, new SpringApplication());
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
			DefaultBootstrapContext bootstrap = new DefaultBootstrapContext();
			new PluginModeEnvironmentPostProcessor(bootstrap).postProcessEnvironment(environment, new SpringApplication());
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
		DefaultBootstrapContext bootstrap = new DefaultBootstrapContext();
		new PluginModeEnvironmentPostProcessor(bootstrap).postProcessEnvironment(pluginEnvironment(),
				new SpringApplication());
		assertThat(bootstrap.isRegistered(PluginStdout.class)).isFalse();
		assertThat(bootstrap.isRegistered(PluginParent.class)).isFalse();
	}

	private static MockEnvironment pluginEnvironment() {
		return new MockEnvironment().withProperty("plugin-server.magic-cookie-key", "PLUGINRPC_TEST_COOKIE_NEVER_SET")
			.withProperty("plugin-server.magic-cookie-value", "hello");
	}

}
