package io.pluginrpc.autoconfigure.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.pluginrpc.plugin.PluginStartupException;

/** Explains why this application could not start serving as a plugin. */
class PluginStartupFailureAnalyzer extends AbstractFailureAnalyzer<PluginStartupException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, PluginStartupException cause) {
		return new FailureAnalysis(
				"This application could not start serving as a go-plugin plugin: " + cause.getMessage(),
				"Check the plugin-server.* properties and the PLUGIN_* environment the host passed"
						+ " (PLUGIN_MIN_PORT/PLUGIN_MAX_PORT, PLUGIN_UNIX_SOCKET_DIR, PLUGIN_CLIENT_CERT).",
				cause);
	}

}
