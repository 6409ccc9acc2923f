package io.pluginrpc.core.tls;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * A fresh self-signed certificate and private key, exactly as go-plugin's AutoMTLS makes
 * them (spec section 3.1): ECDSA P-521, SHA-512 signature,
 * {@code CN=localhost, O=HashiCorp}, SAN DNS localhost, CA=true, client and server auth,
 * valid from 30 s ago for about 30 years. Each side trusts only the peer's one
 * certificate. The private key never leaves memory.
 *
 * @param certificate the self-signed certificate
 * @param privateKey its private key
 */
public record AutoMtlsCertificate(X509Certificate certificate, PrivateKey privateKey) {

	private static final Duration BACKDATE = Duration.ofSeconds(30);

	private static final Duration VALIDITY = Duration.ofHours(262_980);

	private static final SecureRandom RANDOM = new SecureRandom();

	/** ecdsa-with-SHA512, no parameters. */
	private static final byte[] SIGNATURE_ALGORITHM = Der.sequence(Der.oid("1.2.840.10045.4.3.4"));

	/**
	 * Subject and issuer: O=HashiCorp then CN=localhost, in the order Go encodes a
	 * pkix.Name (Java prints it reversed: CN=localhost,O=HashiCorp).
	 */
	private static final byte[] SUBJECT = Der.sequence(
			Der.set(Der.sequence(Der.oid("2.5.4.10"), Der.utf8String("HashiCorp"))),
			Der.set(Der.sequence(Der.oid("2.5.4.3"), Der.utf8String("localhost"))));

	private static final byte[] EXTENSIONS = Der.sequence(
			// keyUsage (critical): digitalSignature, keyEncipherment, keyAgreement,
			// keyCertSign = bits 0, 2, 4, 5.
			extension("2.5.29.15", true, Der.bitString(2, new byte[] { (byte) 0xAC })),
			extension("2.5.29.37", false, Der.sequence(Der.oid("1.3.6.1.5.5.7.3.2"), Der.oid("1.3.6.1.5.5.7.3.1"))),
			// basicConstraints (critical): CA=true, no path length limit.
			extension("2.5.29.19", true, Der.sequence(Der.bool(true))),
			// subjectAltName: dNSName [2] localhost.
			extension("2.5.29.17", false,
					Der.sequence(Der.implicitPrimitive(2, "localhost".getBytes(StandardCharsets.US_ASCII)))));

	/**
	 * Generates a new certificate and key with the JDK alone; about 10-60 ms, mostly
	 * P-521 key generation.
	 * @return the certificate
	 */
	public static AutoMtlsCertificate generate() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp521r1"), RANDOM);
			KeyPair keyPair = generator.generateKeyPair();
			Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
			// Serial: uniform in [0, 2^128), like Go; BigInteger(128, rnd) is never
			// negative.
			BigInteger serial = new BigInteger(128, RANDOM);
			byte[] tbs = Der.sequence(Der.explicit(0, Der.integer(BigInteger.TWO)), Der.integer(serial),
					SIGNATURE_ALGORITHM, SUBJECT,
					Der.sequence(Der.time(now.minus(BACKDATE)), Der.time(now.plus(VALIDITY))), SUBJECT,
					keyPair.getPublic().getEncoded(), Der.explicit(3, EXTENSIONS));
			Signature signer = Signature.getInstance("SHA512withECDSA");
			signer.initSign(keyPair.getPrivate(), RANDOM);
			signer.update(tbs);
			byte[] der = Der.sequence(tbs, SIGNATURE_ALGORITHM, Der.bitString(0, signer.sign()));
			X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
				.generateCertificate(new ByteArrayInputStream(der));
			return new AutoMtlsCertificate(certificate, keyPair.getPrivate());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not generate the AutoMTLS certificate: " + ex.getMessage(), ex);
		}
	}

	private static byte[] extension(String oid, boolean critical, byte[] value) {
		return critical ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
				: Der.sequence(Der.oid(oid), Der.octetString(value));
	}

	/**
	 * @return the certificate as a PEM block, as a host passes it in
	 * {@code PLUGIN_CLIENT_CERT}
	 */
	public String pem() {
		return toPem(this.certificate);
	}

	/**
	 * @return the certificate's DER, as a plugin sends it (base64) in handshake field 6
	 */
	public byte[] der() {
		try {
			return this.certificate.getEncoded();
		}
		catch (CertificateException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Encodes a certificate as PEM with 64-character lines and a trailing newline, like
	 * Go's pem package.
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
	 * Parses the first certificate of a PEM text (the value of
	 * {@code PLUGIN_CLIENT_CERT}).
	 * @param pem the PEM text
	 * @return the certificate
	 * @throws CertificateException with a readable message if the text holds no
	 * certificate
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
