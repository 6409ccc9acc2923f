package io.pluginrpc.core.tls;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A fresh self-signed certificate and private key, exactly as go-plugin's AutoMTLS makes them (spec
 * section 3.1): ECDSA P-521, SHA-512 signature, {@code CN=localhost, O=HashiCorp}, SAN DNS localhost,
 * CA=true, client and server auth, valid from 30 s ago for about 30 years. Each side trusts only the
 * peer's one certificate. The private key never leaves memory.
 *
 * @param certificate the self-signed certificate
 * @param privateKey its private key
 */
public record AutoMtlsCertificate(X509Certificate certificate, PrivateKey privateKey) {

	private static final Duration BACKDATE = Duration.ofSeconds(30);

	private static final Duration VALIDITY = Duration.ofHours(262_980);

	private static final SecureRandom RANDOM = new SecureRandom();

	/**
	 * Generates a new certificate and key; about 10-60 ms, mostly P-521 key generation.
	 * @return the certificate
	 */
	public static AutoMtlsCertificate generate() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp521r1"), RANDOM);
			KeyPair keyPair = generator.generateKeyPair();
			Instant now = Instant.now();
			// DER order O then CN, as Go encodes a pkix.Name (Java prints it reversed: CN=localhost,O=HashiCorp).
			X500Name subject = new X500Name("O=HashiCorp,CN=localhost");
			// Serial: uniform in [0, 2^128), like Go; BigInteger(128, rnd) is never negative.
			BigInteger serial = new BigInteger(128, RANDOM);
			X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial,
					Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), subject, keyPair.getPublic());
			builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature
					| KeyUsage.keyEncipherment | KeyUsage.keyAgreement | KeyUsage.keyCertSign));
			builder.addExtension(Extension.extendedKeyUsage, false,
					new ExtendedKeyUsage(new KeyPurposeId[] { KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth }));
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
			builder.addExtension(Extension.subjectAlternativeName, false,
					new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")));
			X509Certificate certificate = new JcaX509CertificateConverter()
				.getCertificate(builder.build(new JcaContentSignerBuilder("SHA512withECDSA").build(keyPair.getPrivate())));
			return new AutoMtlsCertificate(certificate, keyPair.getPrivate());
		}
		catch (GeneralSecurityException | OperatorCreationException | java.io.IOException ex) {
			throw new IllegalStateException("Could not generate the AutoMTLS certificate: " + ex.getMessage(), ex);
		}
	}

	/** @return the certificate as a PEM block, as a host passes it in {@code PLUGIN_CLIENT_CERT} */
	public String pem() {
		return toPem(this.certificate);
	}

	/** @return the certificate's DER, as a plugin sends it (base64) in handshake field 6 */
	public byte[] der() {
		try {
			return this.certificate.getEncoded();
		}
		catch (CertificateException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Encodes a certificate as PEM with 64-character lines and a trailing newline, like Go's pem package.
	 * @param certificate the certificate
	 * @return the PEM text
	 */
	public static String toPem(X509Certificate certificate) {
		try {
			String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
				.encodeToString(certificate.getEncoded());
			return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
		}
		catch (CertificateException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Parses the first certificate of a PEM text (the value of {@code PLUGIN_CLIENT_CERT}).
	 * @param pem the PEM text
	 * @return the certificate
	 * @throws CertificateException with a readable message if the text holds no certificate
	 */
	public static X509Certificate parsePem(String pem) throws CertificateException {
		if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----")) {
			throw new CertificateException("expected a PEM 'CERTIFICATE' block, but got "
					+ ((pem == null) ? "nothing" : pem.length() + " characters without one"));
		}
		try {
			return (X509Certificate) CertificateFactory.getInstance("X.509")
				.generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
		}
		catch (CertificateException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw new CertificateException("the PEM certificate could not be parsed: " + ex.getMessage(), ex);
		}
	}

}
