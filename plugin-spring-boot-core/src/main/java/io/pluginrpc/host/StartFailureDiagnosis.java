package io.pluginrpc.host;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;

import javax.net.ssl.SSLHandshakeException;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import io.pluginrpc.core.PluginEnvironment;
import io.pluginrpc.core.handshake.HandshakeException;

/**
 * Turns what went wrong while starting a plugin into a {@link PluginStartException} that
 * names the plugin, what was expected and what happened, in the terms of the
 * configuration: a raw gRPC status, a PKIX error or a refused connection says none of
 * that.
 */
final class StartFailureDiagnosis {

	private StartFailureDiagnosis() {
	}

	/**
	 * @param name the plugin
	 * @param ex the handshake line's rejection
	 * @param runner the plugin's process, for its last stderr lines
	 * @return the start failure
	 */
	static PluginStartException handshake(String name, HandshakeException ex, PluginRunner runner) {
		String detail = ex.getMessage();
		if (ex.getReason() == HandshakeException.Reason.UNRECOGNIZED) {
			detail += runner.recentStderr();
		}
		return new PluginStartException(name, PluginStartException.Reason.HANDSHAKE, detail, ex);
	}

	/** AutoMTLS was asked for, the plugin answered without a certificate. */
	static PluginStartException noCertificate(String name) {
		return new PluginStartException(name, PluginStartException.Reason.HANDSHAKE,
				"Plugin '" + name
						+ "': AutoMTLS is on, but the plugin sent no certificate in its handshake line (it ignored "
						+ PluginEnvironment.CLIENT_CERT + "); set plugins." + name
						+ ".auto-mtls=false for plugins without AutoMTLS support",
				null);
	}

	/**
	 * The plugin serves TLS, the host would speak plaintext: a connection can only be
	 * refused, so say why first.
	 */
	static PluginStartException plaintextToTls(String name) {
		return new PluginStartException(name, PluginStartException.Reason.HANDSHAKE, "Plugin '" + name
				+ "': the plugin serves TLS (its handshake line carries a certificate), but the host would connect in"
				+ " plaintext: auto-mtls is off and no tls is configured; set plugins." + name
				+ ".auto-mtls=true or configure plugins." + name + ".tls", null);
	}

	/** The health service answered, with a status other than SERVING. */
	static PluginStartException notServing(String name, Object status) {
		return new PluginStartException(name, PluginStartException.Reason.CONNECT,
				"Plugin '" + name + "': health service 'plugin' is " + status + ", expected SERVING", null);
	}

	/**
	 * The plugin exited after its handshake line, before it answered.
	 * @param connection the connection being checked
	 * @param status its exit status
	 * @param ex the failed health check
	 */
	static PluginStartException exitedAfterHandshake(String name, PluginConnection connection, Integer status,
			Exception ex) {
		return new PluginStartException(name, PluginStartException.Reason.CONNECT,
				"Plugin '" + name + "': the plugin exited with status " + status
						+ " after its handshake line, before answering the health check of service 'plugin' on "
						+ connection.handshake().network() + " " + connection.handshake().address()
						+ connection.runner().recentStderr(),
				ex);
	}

	/**
	 * The health check failed for another reason: unreachable address, TLS mismatch, a
	 * deadline.
	 * @param connection the connection being checked
	 * @param ex the failed health check
	 */
	static PluginStartException healthCheckFailed(String name, PluginConnection connection, StatusRuntimeException ex) {
		boolean unreachable = isConnectFailure(ex.getStatus().getCause());
		String hint = (ex.getStatus().getCode() == Status.Code.UNAVAILABLE && !unreachable
				&& connection.tlsMode().equals("plaintext")) ? " (if the plugin serves TLS, configure auto-mtls or tls)"
						: "";
		return new PluginStartException(name, PluginStartException.Reason.CONNECT,
				"Plugin '" + name + "': the health check of service 'plugin' on " + connection.handshake().network()
						+ " " + connection.handshake().address() + " failed: " + StatusText.of(ex.getStatus())
						+ (unreachable ? "; nothing accepts connections at that address" : "") + hint
						+ tlsHint(ex.getStatus().getCause(), connection.tlsMode()) + connection.runner().recentStderr(),
				ex);
	}

	/** An {@link PluginInitializer} threw. */
	static PluginStartException initializerFailed(String name, PluginInitializer initializer, Exception ex) {
		String what = (ex instanceof StatusRuntimeException status) ? StatusText.of(status.getStatus()) : ex.toString();
		return new PluginStartException(name, PluginStartException.Reason.INITIALIZE, "Plugin '" + name
				+ "': the plugin started, but its initializer " + initializer.getClass().getName() + " failed: " + what,
				ex);
	}

	/**
	 * Says which side refused a failed TLS handshake, in the terms of the configuration:
	 * the raw errors (PKIX path validation, a fatal alert) do not say which certificate
	 * did not match.
	 */
	static String tlsHint(Throwable cause, String tlsMode) {
		boolean handshake = false;
		boolean serverCertificate = false;
		boolean refusedByPlugin = false;
		for (Throwable t = cause; t != null; t = (t.getCause() == t) ? null : t.getCause()) {
			handshake |= t instanceof SSLHandshakeException;
			serverCertificate |= t instanceof CertificateException || t instanceof CertPathValidatorException;
			refusedByPlugin |= t.getMessage() != null && t.getMessage().contains("Received fatal alert");
		}
		boolean auto = "auto-mtls".equals(tlsMode);
		if (!handshake) {
			return "";
		}
		if (serverCertificate) {
			return auto
					? "; the TLS handshake failed: the certificate the plugin presented is not the one in its handshake line"
					: "; the TLS handshake failed: the certificate the plugin presented is not trusted by the configured tls trust";
		}
		if (refusedByPlugin) {
			return auto
					? "; the TLS handshake failed: the plugin refused the host's client certificate (it trusts only the"
							+ " certificate it received in " + PluginEnvironment.CLIENT_CERT + ")"
					: "; the TLS handshake failed: the plugin refused the host's client certificate (tls.cert)";
		}
		return "; the TLS handshake failed";
	}

	/**
	 * @return whether the cause says nothing listens at the address
	 */
	static boolean isConnectFailure(Throwable cause) {
		for (Throwable t = cause; t != null; t = (t.getCause() == t) ? null : t.getCause()) {
			if (t instanceof java.net.ConnectException || t instanceof java.io.FileNotFoundException
					|| t instanceof java.nio.file.NoSuchFileException) {
				return true;
			}
		}
		return false;
	}

}
