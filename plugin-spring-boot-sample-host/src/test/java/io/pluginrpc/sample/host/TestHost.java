package io.pluginrpc.sample.host;

import io.pluginrpc.host.PluginHost;

/**
 * The {@link PluginHost} of the tests that drive {@code PluginClient}s without Spring: one per test JVM, as
 * one per application, with the JVM shutdown hook that kills what a failed test left running.
 */
final class TestHost {

	static final PluginHost SHARED = PluginHost.create();

	private TestHost() {
	}

}
