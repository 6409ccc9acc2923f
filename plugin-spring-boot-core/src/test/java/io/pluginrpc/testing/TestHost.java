package io.pluginrpc.testing;

import io.pluginrpc.host.PluginHost;

/**
 * The {@link PluginHost} of the tests that drive {@code PluginClient}s without Spring:
 * one per test JVM, as one per application, with the JVM shutdown hook that kills what a
 * failed test left running.
 */
public final class TestHost {

	public static final PluginHost SHARED = PluginHost.create();

	private TestHost() {
	}

}
