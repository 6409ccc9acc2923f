package io.pluginrpc.autoconfigure.plugin;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.mock.env.MockEnvironment;

import io.pluginrpc.autoconfigure.SpringBootLine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plugin mode skips auto-configurations a plugin does not use, and only in plugin mode.
 */
class PluginModeAutoConfigurationFilterTests {

	private static final String[] CANDIDATES = { SpringBootLine.GSON_AUTO_CONFIGURATION,
			/* one a plugin keeps */ "org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration",
			TaskSchedulingAutoConfiguration.class.getName(),
			"net.devh.boot.grpc.server.autoconfigure.GrpcReflectionServiceAutoConfiguration",
			/* removed by an earlier filter */ null };

	@Test
	void skipsWhatAPluginDoesNotUseInPluginMode() {
		assertThat(filter(new MockEnvironment().withProperty("plugin-server.magic-cookie-key", "BASIC_PLUGIN")))
			.containsExactly(false, true, false, true, true);
	}

	@Test
	void keepsEverythingOutsidePluginModeOrWhenSwitchedOff() {
		assertThat(filter(new MockEnvironment())).containsExactly(true, true, true, true, true);
		assertThat(filter(new MockEnvironment().withProperty("plugin-server.magic-cookie-key", "BASIC_PLUGIN")
			.withProperty("plugin-server.trim-auto-configuration", "false")))
			.containsExactly(true, true, true, true, true);
	}

	@Test
	void isRegisteredAsAnImportFilter() {
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation().load(AutoConfigurationImportFilter.class))
			.anySatisfy((filter) -> assertThat(filter).isInstanceOf(PluginModeAutoConfigurationFilter.class));
	}

	private static boolean[] filter(MockEnvironment environment) {
		PluginModeAutoConfigurationFilter filter = new PluginModeAutoConfigurationFilter();
		filter.setEnvironment(environment);
		return filter.match(CANDIDATES, null);
	}

}
