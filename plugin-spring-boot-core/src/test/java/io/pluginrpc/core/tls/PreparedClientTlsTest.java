package io.pluginrpc.core.tls;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The host's AutoMTLS material prepared before a launch and the trust pinned afterwards;
 * the same context over real TLS is in {@link MutualTlsOverUnixSocketTest}.
 */
class PreparedClientTlsTest {

	private final PreparedClientTls prepared = PreparedClientTls.prepare();

	private final AutoMtlsCertificate plugin = AutoMtlsCertificate.generate();

	@Test
	void trustsNothingBeforeACertificateIsPinned() {
		PinnedCertificateTrustManager trust = new PinnedCertificateTrustManager();
		X509Certificate[] chain = { this.plugin.certificate() };
		assertThatExceptionOfType(CertificateException.class).isThrownBy(() -> trust.checkServerTrusted(chain, "EC"))
			.withMessageContaining("no certificate to trust yet");
		assertThat(trust.getAcceptedIssuers()).isEmpty();
		trust.pin("Plugin 'kv'", this.plugin.certificate());
		assertThat(trust.getAcceptedIssuers()).containsExactly(this.plugin.certificate());
		assertThatExceptionOfType(CertificateException.class)
			.isThrownBy(() -> trust.checkServerTrusted(new X509Certificate[0], "EC"))
			.withMessageStartingWith("Plugin 'kv' presented no certificate");
		assertThatExceptionOfType(CertificateException.class).isThrownBy(() -> trust.checkClientTrusted(chain, "EC"))
			.withMessageContaining("only for clients");
	}

	@Test
	void everyPreparationHasItsOwnKeys() {
		PreparedClientTls other = PreparedClientTls.prepare();
		assertThat(other.certificate().certificate().getPublicKey())
			.isNotEqualTo(this.prepared.certificate().certificate().getPublicKey());
	}

}
