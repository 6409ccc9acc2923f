package io.pluginrpc.plugin;

import java.util.Map;
import java.util.Optional;

/**
 * go-plugin's magic cookie check (spec section 1.3): a plugin started by anything but its
 * host refuses to run, with go-plugin's exact messages, so users and scripts see what
 * they would see with a Go plugin.
 */
public final class CookieCheck {

	/**
	 * Printed on stderr, with exit status 1, when the plugin's own configuration names no
	 * cookie.
	 */
	public static final String MISCONFIGURED = "Misconfigured ServeConfig given to serve this plugin: no magic cookie\n"
			+ "key or value was set. Please notify the plugin author and report\n" + "this as a bug.\n";

	/**
	 * Printed on stderr, with exit status 1, when the cookie variable is missing or
	 * different.
	 */
	public static final String NOT_A_HOST = "This binary is a plugin. These are not meant to be executed directly.\n"
			+ "Please execute the program that consumes these plugins, which will\n"
			+ "load any plugins automatically\n";

	/** The exit status go-plugin uses for both failures. */
	public static final int EXIT_STATUS = 1;

	private CookieCheck() {
	}

	/**
	 * @param environment the process environment
	 * @param key the cookie variable's name
	 * @param value the expected value
	 * @return the text to print before exiting, or empty when the plugin may run
	 */
	public static Optional<String> failure(Map<String, String> environment, String key, String value) {
		if (key == null || key.isEmpty() || value == null || value.isEmpty()) {
			return Optional.of(MISCONFIGURED);
		}
		return value.equals(environment.get(key)) ? Optional.empty() : Optional.of(NOT_A_HOST);
	}

}
