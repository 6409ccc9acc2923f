package io.pluginrpc.core.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an unencrypted PEM private key with the JDK alone: PKCS#8 ({@code PRIVATE KEY}),
 * SEC1 ({@code EC PRIVATE KEY}, as openssl and Go write EC keys) and PKCS#1
 * ({@code RSA PRIVATE KEY}). The last two are wrapped into PKCS#8, which the JDK's key
 * factories read.
 */
public final class PemPrivateKey {

	private static final Pattern BLOCK = Pattern
		.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");

	private static final String EC_PUBLIC_KEY = "1.2.840.10045.2.1";

	private static final String RSA_ENCRYPTION = "1.2.840.113549.1.1.1";

	private PemPrivateKey() {
	}

	/**
	 * @param pem the PEM text; the first private key block counts
	 * @return the key
	 * @throws IOException naming what was expected and what was found
	 */
	public static PrivateKey parse(String pem) throws IOException {
		Matcher matcher = BLOCK.matcher(pem);
		while (matcher.find()) {
			String type = matcher.group(1);
			if (type.equals("PRIVATE KEY") || type.equals("EC PRIVATE KEY") || type.equals("RSA PRIVATE KEY")) {
				byte[] der;
				try {
					der = Base64.getMimeDecoder().decode(matcher.group(2));
				}
				catch (IllegalArgumentException ex) {
					throw new IOException("the " + type + " block is not valid base64: " + ex.getMessage(), ex);
				}
				return switch (type) {
					case "EC PRIVATE KEY" ->
						generate(List.of("EC"), pkcs8(Der.sequence(Der.oid(EC_PUBLIC_KEY), sec1Curve(der)), der));
					case "RSA PRIVATE KEY" -> generate(List.of("RSA"),
							pkcs8(Der.sequence(Der.oid(RSA_ENCRYPTION), Der.tagged(0x05, new byte[0])), der));
					default -> generate(List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"), der);
				};
			}
			if (type.contains("ENCRYPTED")) {
				throw new IOException(
						"expected an unencrypted PRIVATE KEY or EC/RSA PRIVATE KEY block, found an encrypted " + type
								+ " block");
			}
		}
		throw new IOException("expected an unencrypted PRIVATE KEY or EC/RSA PRIVATE KEY block, found none");
	}

	private static byte[] pkcs8(byte[] algorithm, byte[] key) {
		return Der.sequence(Der.integer(java.math.BigInteger.ZERO), algorithm, Der.octetString(key));
	}

	/**
	 * The named curve from a SEC1 key's {@code [0] parameters}, which PKCS#8 carries in
	 * its algorithm.
	 */
	private static byte[] sec1Curve(byte[] der) throws IOException {
		// ECPrivateKey ::= SEQUENCE { version INTEGER, privateKey OCTET STRING, [0]
		// parameters, [1] publicKey }
		Der.Reader key = Der.read(der).expect(0x30, "an EC PRIVATE KEY sequence").contents();
		key.expect(0x02, "the EC key's version");
		key.expect(0x04, "the EC private key octets");
		while (key.hasMore()) {
			Der.Reader element = key.next();
			if (element.tag() == 0xA0) {
				Der.Reader curve = element.contents().expect(0x06, "a named curve OID in the EC key's parameters");
				return curve.encoded();
			}
		}
		throw new IOException("the EC PRIVATE KEY names no curve (its [0] parameters are missing)");
	}

	private static PrivateKey generate(List<String> algorithms, byte[] pkcs8) throws IOException {
		GeneralSecurityException last = null;
		for (String algorithm : algorithms) {
			try {
				return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
			}
			catch (GeneralSecurityException ex) {
				last = ex;
			}
		}
		throw new IOException("the key is not a " + String.join(", ", algorithms) + " key the JDK can read"
				+ ((last != null && last.getMessage() != null) ? ": " + last.getMessage() : ""), last);
	}

}
