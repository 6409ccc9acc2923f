package io.pluginrpc.core.tls;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AutoMtlsCertificateTest {

	private final AutoMtlsCertificate generated = AutoMtlsCertificate.generate();

	private final X509Certificate certificate = this.generated.certificate();

	@Test
	void usesAP521KeySignedWithSha512() {
		assertThat(this.certificate.getPublicKey()).isInstanceOf(ECPublicKey.class);
		assertThat(((ECPublicKey) this.certificate.getPublicKey()).getParams().getCurve().getField().getFieldSize())
			.isEqualTo(521);
		assertThat(this.certificate.getSigAlgName()).isEqualTo("SHA512withECDSA");
	}

	@Test
	void isASelfSignedLocalhostCaForBothRoles() throws Exception {
		assertThat(this.certificate.getSubjectX500Principal().getName()).isEqualTo("CN=localhost,O=HashiCorp");
		assertThat(this.certificate.getIssuerX500Principal()).isEqualTo(this.certificate.getSubjectX500Principal());
		this.certificate.verify(this.certificate.getPublicKey());
		assertThat(this.certificate.getSubjectAlternativeNames()).containsExactly(List.of(2, "localhost"));
		assertThat(this.certificate.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
		assertThat(this.certificate.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
		assertThat(this.certificate.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1",
				"1.3.6.1.5.5.7.3.2");
		boolean[] usage = this.certificate.getKeyUsage();
		assertThat(usage[0]).as("digitalSignature").isTrue();
		assertThat(usage[2]).as("keyEncipherment").isTrue();
		assertThat(usage[4]).as("keyAgreement").isTrue();
		assertThat(usage[5]).as("keyCertSign").isTrue();
	}

	@Test
	void isValidFromThirtySecondsAgoForAboutThirtyYears() {
		Instant notBefore = this.certificate.getNotBefore().toInstant();
		Instant notAfter = this.certificate.getNotAfter().toInstant();
		assertThat(Duration.between(notBefore, Instant.now())).isBetween(Duration.ofSeconds(29), Duration.ofMinutes(5));
		assertThat(Duration.between(notBefore, notAfter)).isEqualTo(Duration.ofHours(262_980).plusSeconds(30));
	}

	@Test
	void hasAFreshNonNegative128BitSerialEachTime() {
		BigInteger serial = this.certificate.getSerialNumber();
		assertThat(serial.signum()).isGreaterThanOrEqualTo(0);
		assertThat(serial.bitLength()).isLessThanOrEqualTo(128);
		assertThat(AutoMtlsCertificate.generate().certificate().getSerialNumber()).isNotEqualTo(serial);
	}

	@Test
	void roundTripsThroughPemLikeTheClientCertVariable() throws Exception {
		String pem = this.generated.pem();
		assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
		assertThat(pem.lines().filter((line) -> !line.startsWith("-----")))
			.allSatisfy((line) -> assertThat(line.length()).isLessThanOrEqualTo(64));
		assertThat(AutoMtlsCertificate.parsePem(pem)).isEqualTo(this.certificate);
	}

	@Test
	void rejectsAVariableWithoutACertificateReadably() {
		assertThatExceptionOfType(java.security.cert.CertificateException.class)
			.isThrownBy(() -> AutoMtlsCertificate.parsePem("hello"))
			.withMessageContaining("expected a PEM 'CERTIFICATE' block");
	}

}
