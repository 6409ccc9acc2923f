package io.pluginrpc.sample.plugin;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Started by anything but its host, the plugin refuses to run with go-plugin's exact
 * words.
 */
class CookieIT {

	/**
	 * go-plugin's text, spelled out here rather than taken from the production constant.
	 */
	private static final String GO_PLUGIN_TEXT = "This binary is a plugin. These are not meant to be executed directly.\n"
			+ "Please execute the program that consumes these plugins, which will\n"
			+ "load any plugins automatically\n";

	@ParameterizedTest(name = "BASIC_PLUGIN={0}")
	@ValueSource(strings = { "<absent>", "wrong", "", "HELLO" })
	void refusesToRunWithoutTheRightCookie(String cookie) {
		Map<String, String> env = new HashMap<>(PluginProcess.hostEnvironment());
		env.remove(PluginProcess.COOKIE_KEY);
		if (!cookie.equals("<absent>")) {
			env.put(PluginProcess.COOKIE_KEY, cookie);
		}
		try (PluginProcess plugin = PluginProcess.start(env)) {
			// Generous: a JVM that refuses before Spring creates its context needs about
			// a second.
			assertThat(plugin.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
			assertThat(plugin.stdout()).isEmpty();
			assertThat(plugin.stderr()).isEqualTo(GO_PLUGIN_TEXT);
			assertThat(plugin.tmpdir()).isEmptyDirectory();
		}
	}

}
