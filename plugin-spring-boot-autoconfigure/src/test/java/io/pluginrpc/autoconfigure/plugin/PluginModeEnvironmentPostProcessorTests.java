package io.pluginrpc.autoconfigure.plugin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/** While Spring AOT processes a plugin at build time, no host launched it: defaults yes, cookie check no. */
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

}
