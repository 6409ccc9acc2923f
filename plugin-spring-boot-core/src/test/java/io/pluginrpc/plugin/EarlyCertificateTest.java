package io.pluginrpc.plugin;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pluginrpc.core.PluginEnvironment;
import io.pluginrpc.core.tls.AutoMtlsCertificate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plugin's certificate, started early when the host asks for AutoMTLS, is handed out
 * once.
 */
class EarlyCertificateTest {

	@Test
	void handsOutTheEarlyCertificateOnceThenFreshOnes() {
		Map<String, String> host = Map.of(PluginEnvironment.CLIENT_CERT, AutoMtlsCertificate.generate().pem());
		EarlyCertificate certificates = new EarlyCertificate();
		certificates.startIfRequested(host);
		certificates.startIfRequested(host);
		assertThat(certificates.isPending()).isTrue();
		AutoMtlsCertificate first = certificates.take();
		AutoMtlsCertificate second = certificates.take();
		assertThat(first.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=localhost,O=HashiCorp");
		assertThat(second.certificate().getSerialNumber()).isNotEqualTo(first.certificate().getSerialNumber());
		assertThat(certificates.isPending()).isFalse();
	}

	@Test
	void startsNothingWithoutAutoMtls() {
		EarlyCertificate certificates = new EarlyCertificate();
		certificates.startIfRequested(Map.of());
		assertThat(certificates.isPending()).isFalse();
		assertThat(certificates.take()).isNotNull();
	}

	@Test
	void instancesShareNothing() {
		EarlyCertificate started = new EarlyCertificate();
		started.startIfRequested(Map.of(PluginEnvironment.CLIENT_CERT, AutoMtlsCertificate.generate().pem()));
		assertThat(new EarlyCertificate().isPending()).isFalse();
		assertThat(started.isPending()).isTrue();
		assertThat(started.take()).isNotNull();
	}

}
