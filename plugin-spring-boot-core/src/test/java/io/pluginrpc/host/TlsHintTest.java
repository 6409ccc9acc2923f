package io.pluginrpc.host;

import java.io.IOException;
import java.security.cert.CertPathValidatorException;

import javax.net.ssl.SSLHandshakeException;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failed TLS handshake is explained by which side refused which certificate, without
 * netty internals.
 */
class TlsHintTest {

	@Test
	void thePluginPresentedAnotherCertificate() {
		Throwable cause = new SSLHandshakeException("PKIX path validation failed");
		cause.initCause(new CertPathValidatorException("signature check failed"));
		assertThat(StartFailureDiagnosis.tlsHint(cause, "auto-mtls")).isEqualTo(
				"; the TLS handshake failed: the certificate the plugin presented is not the one in its handshake line");
		assertThat(StartFailureDiagnosis.tlsHint(cause, "mtls")).contains("not trusted by the configured tls trust");
	}

	@Test
	void thePluginRefusedTheHostsCertificate() {
		Throwable cause = new IOException(new SSLHandshakeException("Received fatal alert: certificate_unknown"));
		assertThat(StartFailureDiagnosis.tlsHint(cause, "auto-mtls")).isEqualTo(
				"; the TLS handshake failed: the plugin refused the host's client certificate (it trusts only the"
						+ " certificate it received in PLUGIN_CLIENT_CERT)");
		assertThat(StartFailureDiagnosis.tlsHint(cause, "mtls")).endsWith("(tls.cert)");
	}

	@Test
	void theNettyPipelineIsLeftOutOfTheDescription() {
		Status status = Status.UNAVAILABLE.withDescription(
				"io exception\nChannel Pipeline: [SslHandler#0, ProtocolNegotiators$ClientTlsHandler#0, DefaultChannelPipeline$TailContext#0]");
		assertThat(StatusText.of(status)).isEqualTo("UNAVAILABLE: io exception");
	}

	@Test
	void otherFailuresGetNoHint() {
		assertThat(StartFailureDiagnosis.tlsHint(new IOException("Connection reset"), "auto-mtls")).isEmpty();
		assertThat(StartFailureDiagnosis.tlsHint(null, "plaintext")).isEmpty();
	}

}
