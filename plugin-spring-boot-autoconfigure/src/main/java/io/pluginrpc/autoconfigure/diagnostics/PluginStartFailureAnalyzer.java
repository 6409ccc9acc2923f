package io.pluginrpc.autoconfigure.diagnostics;

import java.util.Set;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.pluginrpc.core.handshake.HandshakeException;
import io.pluginrpc.host.ChecksumMismatchException;
import io.pluginrpc.host.PluginStartException;

/**
 * Explains a plugin that could not be started with an action specific to what went wrong,
 * like Spring Boot's own analyzers do for ports and beans. The action is chosen by the
 * exception's type and {@link PluginStartException.Reason} (and, for handshakes,
 * {@link HandshakeException.Reason} and its typed details), never by reading messages.
 */
class PluginStartFailureAnalyzer extends AbstractFailureAnalyzer<PluginStartException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, PluginStartException cause) {
		return new FailureAnalysis(cause.getMessage(), action(cause, "plugins." + cause.getPluginName() + "."), cause);
	}

	private String action(PluginStartException cause, String p) {
		if (cause instanceof ChecksumMismatchException mismatch) {
			return "The executable " + mismatch.getExecutable() + " has checksum " + mismatch.getActual() + ", but " + p
					+ "checksum is " + mismatch.getExpected() + ". If this file is the plugin you trust, set " + p
					+ "checksum=" + mismatch.getActual()
					+ "; otherwise put back the executable the checksum describes.";
		}
		return switch (cause.getReason()) {
			case EXECUTABLE -> "Check " + p + "command: the first element must be an executable file"
					+ " (looked up on the PATH when it has no '/'), and " + p + "working-directory.";
			case CHECKSUM -> "Make sure the plugin executable is the one you expect, then update " + p
					+ "checksum (e.g. the output of 'sha256sum <executable>', as sha256:<hex>).";
			case HANDSHAKE -> handshakeAction(findCause(cause, HandshakeException.class), p);
			case CONNECT -> "Check that the plugin serves the health service 'plugin' and that " + p + "auto-mtls / "
					+ p + "tls match what the plugin serves.";
			case INITIALIZE -> "A PluginInitializer bean failed on plugin '" + cause.getPluginName() + "' after it"
					+ " connected (see the cause): fix the initializer or what it sends. On restarts it is retried with "
					+ p + "restart's backoff; " + p + "fail-fast=false starts the application without it.";
		};
	}

	private static String handshakeAction(HandshakeException handshake, String p) {
		String lazy = " Set " + p + "lazy=true to start the application without it.";
		if (handshake == null) {
			return "Make " + p + "auto-mtls and " + p + "tls match how the plugin serves (AutoMTLS, explicit TLS or"
					+ " plaintext).";
		}
		return switch (handshake.getReason()) {
			case APP_VERSION -> versionAction(handshake.getChosenVersion(), handshake.getOfferedVersions(), p);
			case EXITED -> "A go-plugin plugin exits with status 1 before its handshake line when its magic cookie is"
					+ " missing or wrong: make " + p + "handshake.cookie-key and " + p
					+ "handshake.cookie-value the ones"
					+ " the plugin was built with. Otherwise its stderr lines above say why it exited (a plugin that"
					+ " listens on TCP needs a free port in " + p + "transport.min-port.." + p + "transport.max-port)."
					+ lazy;
			case TIMEOUT -> "The plugin printed no complete line on stdout within " + p + "start-timeout. Check that "
					+ p + "command starts a go-plugin plugin (not a wrapper that waits for input) and that it writes"
					+ " its handshake line, ending in a newline, to stdout and flushes it; raise " + p
					+ "start-timeout if it just starts slowly." + lazy;
			case UNRECOGNIZED -> "The plugin's first stdout line was "
					+ ((handshake.getLine() != null) ? "'" + handshake.getLine() + "'" : "not a handshake line")
					+ ": a go-plugin host takes the first stdout line as the handshake, so the plugin must print"
					+ " nothing else on stdout before it (log to stderr instead). Check that " + p
					+ "command starts the plugin itself, not a script that prints first.";
			case CORE_VERSION -> "Rebuild the plugin with a go-plugin release that speaks core protocol version 1.";
			case NETWORK, PROTOCOL -> "The plugin must serve gRPC (go-plugin's GRPCServer; net/rpc plugins are not"
					+ " supported) on a unix or tcp address.";
			case MULTIPLEX ->
				"The plugin does not support go-plugin 1.6's gRPC broker multiplexing (it answered no 'true'"
						+ " in handshake field 7): set " + p
						+ "grpc-broker-multiplex=false, or update the plugin to go-plugin 1.6+"
						+ " (or this starter's plugin side).";
			case CERTIFICATE -> "Set " + p + "auto-mtls=false for a plugin without AutoMTLS support, or configure " + p
					+ "tls to match the certificate it serves.";
		};
	}

	private static String versionAction(Integer chosen, Set<Integer> offered, String p) {
		return "The plugin serves protocol version " + chosen + ", but " + p + "protocol-versions offers only "
				+ offered + ". Add version " + chosen + " to " + p + "protocol-versions with the *Grpc classes the"
				+ " plugin serves in it (e.g. " + p + "protocol-versions." + chosen + "=com.example.KVGrpc), or use a"
				+ " build of the plugin that serves one of " + offered + ".";
	}

}
