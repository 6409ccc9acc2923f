package io.pluginrpc.autoconfigure.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.pluginrpc.host.PluginStartException;

/**
 * Explains a plugin that could not be started (missing executable, checksum mismatch, failed handshake,
 * unreachable plugin) with an action, like Spring Boot's own analyzers do for ports and beans.
 */
class PluginStartFailureAnalyzer extends AbstractFailureAnalyzer<PluginStartException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, PluginStartException cause) {
		String plugin = cause.getPluginName();
		if (cause.getMessage() != null && cause.getMessage().toLowerCase(java.util.Locale.ROOT).contains("bind plugin tcp listener")) {
			return new FailureAnalysis(cause.getMessage(), "Every port of plugins." + plugin
					+ ".transport.min-port..max-port is taken: widen the range or free ports in it.", cause);
		}
		String action = switch (cause.getReason()) {
			case EXECUTABLE -> "Check plugins." + plugin + ".command: the first element must be an executable file"
					+ " (looked up on the PATH when it has no '/'), and plugins." + plugin + ".working-directory.";
			case CHECKSUM -> "Make sure the plugin executable is the one you expect, then update plugins." + plugin
					+ ".checksum (e.g. the output of 'sha256sum <executable>', as sha256:<hex>).";
			case HANDSHAKE -> "Check that plugins." + plugin + ".command starts a go-plugin plugin with the same magic"
					+ " cookie (plugins." + plugin + ".handshake) and a protocol version listed in plugins." + plugin
					+ ".protocol-versions, that it prints nothing on stdout before its handshake line, and that it starts"
					+ " within plugins." + plugin + ".start-timeout. Set plugins." + plugin
					+ ".lazy=true to start the application without it.";
			case CONNECT -> "Check that the plugin serves the health service 'plugin' and that plugins." + plugin
					+ ".auto-mtls / plugins." + plugin + ".tls match what the plugin serves.";
			case INITIALIZE -> "A PluginInitializer bean failed on plugin '" + plugin + "' after it connected (see the"
					+ " cause): fix the initializer or what it sends. On restarts it is retried with plugins." + plugin
					+ ".restart's backoff; plugins." + plugin + ".fail-fast=false starts the application without it.";
		};
		return new FailureAnalysis(cause.getMessage(), action, cause);
	}

}
