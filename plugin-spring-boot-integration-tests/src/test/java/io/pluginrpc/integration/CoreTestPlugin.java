package io.pluginrpc.integration;

import java.time.Duration;

import io.grpc.protobuf.services.HealthStatusManager;

import io.pluginrpc.plugin.CookieCheck;
import io.pluginrpc.plugin.PluginServer;
import io.pluginrpc.plugin.PluginServerSettings;

/**
 * What every test plugin built on the protocol core alone (no Spring) does first: refuse
 * to run without the sample's magic cookie, as go-plugin does, and prepare a server on a
 * Unix socket.
 */
final class CoreTestPlugin {

	private CoreTestPlugin() {
	}

	/**
	 * @return the prepared server; exits with go-plugin's message and status when the
	 * cookie is wrong
	 */
	static PluginServer prepare() {
		CookieCheck.failure(System.getenv(), "BASIC_PLUGIN", "hello").ifPresent((message) -> {
			System.err.print(message);
			System.exit(CookieCheck.EXIT_STATUS);
		});
		return PluginServer.prepare(
				new PluginServerSettings(System.getenv(), "unix", Duration.ofSeconds(1), Duration.ofSeconds(5)),
				new HealthStatusManager());
	}

}
