package io.pluginrpc.plugin;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CookieCheckTest {

	@Test
	void passesWhenTheVariableHasExactlyTheValue() {
		assertThat(CookieCheck.failure(Map.of("BASIC_PLUGIN", "hello"), "BASIC_PLUGIN", "hello")).isEmpty();
	}

	@Test
	void refusesAMissingOrDifferentCookieWithGoPluginsText() {
		String expected = "This binary is a plugin. These are not meant to be executed directly.\n"
				+ "Please execute the program that consumes these plugins, which will\n"
				+ "load any plugins automatically\n";
		assertThat(CookieCheck.failure(Map.of(), "BASIC_PLUGIN", "hello")).contains(expected);
		assertThat(CookieCheck.failure(Map.of("BASIC_PLUGIN", "hello "), "BASIC_PLUGIN", "hello")).contains(expected);
	}

	@Test
	void reportsAMisconfiguredPlugin() {
		assertThat(CookieCheck.failure(Map.of(), "", "hello")).contains(CookieCheck.MISCONFIGURED);
		assertThat(CookieCheck.failure(Map.of(), "BASIC_PLUGIN", null)).contains(CookieCheck.MISCONFIGURED);
	}

}
