package io.pluginrpc.plugin;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pluginrpc.core.PluginEnvironment;
import io.pluginrpc.core.tls.AutoMtlsCertificate;

import static org.assertj.core.api.Assertions.assertThat;

/** The plugin's certificate, started early when the host asks for AutoMTLS, is handed out once. */
class EarlyCertificateTest {

	@Test
	void handsOutTheEarlyCertificateOnceThenFreshOnes() {
		Map<String, String> host = Map.of(PluginEnvironment.CLIENT_CERT, AutoMtlsCertificate.generate().pem());
		EarlyCertificate.startIfRequested(host);
		EarlyCertificate.startIfRequested(host);
		assertThat(EarlyCertificate.isPending()).isTrue();
		AutoMtlsCertificate first = EarlyCertificate.take();
		AutoMtlsCertificate second = EarlyCertificate.take();
		assertThat(first.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=localhost,O=HashiCorp");
		assertThat(second.certificate().getSerialNumber()).isNotEqualTo(first.certificate().getSerialNumber());
		assertThat(EarlyCertificate.isPending()).isFalse();
	}

	@Test
	void startsNothingWithoutAutoMtls() {
		EarlyCertificate.startIfRequested(Map.of());
		assertThat(EarlyCertificate.isPending()).isFalse();
		assertThat(EarlyCertificate.take()).isNotNull();
	}

}
