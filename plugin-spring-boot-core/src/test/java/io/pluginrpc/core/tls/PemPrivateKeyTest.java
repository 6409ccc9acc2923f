package io.pluginrpc.core.tls;

import java.io.IOException;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * PEM private keys in the three layouts openssl, Go and the JDK write, read without
 * BouncyCastle.
 */
class PemPrivateKeyTest {

	/** {@code openssl ecparam -name prime256v1 -genkey -noout} (SEC1). */
	private static final String EC_SEC1 = "-----BEGIN EC PRIVATE KEY-----\n"
			+ "MHcCAQEEIOrEmqdq+dwvHQc59J0JLcnDn85Hsbe/s6dlamcFMj2IoAoGCCqGSM49\n"
			+ "AwEHoUQDQgAEvC+apTh11q1mA1g8kLDxSmQaLXvfXmu9jKEXVfAGjeXoDsodGaMq\n"
			+ "h0ML2ALGRNA0dDvU7NjmBBRJnEWoVjUkBw==\n" + "-----END EC PRIVATE KEY-----\n";

	/** The same key as PKCS#8 ({@code openssl pkcs8 -topk8 -nocrypt}). */
	private static final String EC_PKCS8 = "-----BEGIN PRIVATE KEY-----\n"
			+ "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg6sSap2r53C8dBzn0\n"
			+ "nQktycOfzkext7+zp2VqZwUyPYihRANCAAS8L5qlOHXWrWYDWDyQsPFKZBote99e\n"
			+ "a72MoRdV8AaN5egOyh0ZoyqHQwvYAsZE0DR0O9Ts2OYEFEmcRahWNSQH\n" + "-----END PRIVATE KEY-----\n";

	/** {@code openssl genrsa -traditional 1024} (PKCS#1). */
	private static final String RSA_PKCS1 = "-----BEGIN RSA PRIVATE KEY-----\n"
			+ "MIICXQIBAAKBgQComF76fDZMCqdauBmZU3631iOW8KUbW5zgOI+a9Fwbhl+hCo8U\n"
			+ "a1yjQH8+THIXEhbhEtdNOA9AqonNJjl1Pl6ruAWeY6cKjL4KB6KfOONRAVxiOozt\n"
			+ "TKOIoJRZVUtcEmTDsinSrzp5aA+QkwlPWNue/Sa0FTy40l6nkZHnkcKWdwIDAQAB\n"
			+ "AoGAWg+zRPmPg8V5KuQHgLlyir/QmTQJ7vhccAam5+67OVTpxrw+PHkxrl+o2V26\n"
			+ "4IogQLFw4+Ybd77iB/3wWaospY4SG26F4IwNVXiU2sPBZSci7yR9MrDWxkGCp0CL\n"
			+ "ytSyIpxYKrIz98jOOmlK8RzbH8qhWbbVretsHQGk5Ib6DZkCQQDe1VA+6JPTxfyq\n"
			+ "/3VY4t8swoOyLmO1/AFKo8Tb15DWyAQI3SVO7UNwYE3sqvnHlq3oCg4meXT3lC9t\n"
			+ "hf+qtU8zAkEAwbBoWLnC6TeSPHe7kBrwK5p5Ymh5RFXTkqBG4YtJL3s0VaWw3Iq1\n"
			+ "TrHgaUVQx4DxTbsXQkv6xhMZrHIPFVerrQJBALl0r6SrzNykGvX2RqQDrdqCyTiy\n"
			+ "gyoi4rBMPLr7XgBj13fJFhPqRAZzIGeopNoH/hTwyXYb/81N92sf6vkYjSECQDqF\n"
			+ "7OFyL3x8OAlhPCEMoqjqIeckHhARxr21A/W+OjzIg0WlrMzWdHX0tRPZx9CgG0kb\n"
			+ "UKnNf1Y+CzHZvMj8FnkCQQC+fFEQoa1IwarenxV7NK02ihpgBZsdCZ3rKzo8gusl\n"
			+ "PmwKCLvljFnLweju6RXzp39qybg/YN15/e+BN2E5INOx\n" + "-----END RSA PRIVATE KEY-----\n";

	@Test
	void readsSec1EcKeysWithTheirCurve() throws Exception {
		ECPrivateKey key = (ECPrivateKey) PemPrivateKey.parse(EC_SEC1);
		assertThat(key.getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
		assertThat(key.getS()).isEqualTo(((ECPrivateKey) PemPrivateKey.parse(EC_PKCS8)).getS());
	}

	@Test
	void readsPkcs1RsaKeys() throws Exception {
		assertThat(PemPrivateKey.parse(RSA_PKCS1)).isInstanceOf(RSAPrivateKey.class);
	}

	@Test
	void readsWhatTheJdkWritesAndSkipsOtherBlocks() throws Exception {
		AutoMtlsCertificate generated = AutoMtlsCertificate.generate();
		String pem = generated.pem() + "-----BEGIN PRIVATE KEY-----\n"
				+ java.util.Base64.getMimeEncoder().encodeToString(generated.privateKey().getEncoded())
				+ "\n-----END PRIVATE KEY-----\n";
		assertThat(PemPrivateKey.parse(pem)).isEqualTo(generated.privateKey());
	}

	@Test
	void namesWhatItExpectedWhenThereIsNoUsableKey() {
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> PemPrivateKey.parse("hello"))
			.withMessage("expected an unencrypted PRIVATE KEY or EC/RSA PRIVATE KEY block, found none");
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> PemPrivateKey
				.parse("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"))
			.withMessageContaining("found an encrypted ENCRYPTED PRIVATE KEY block");
		assertThatExceptionOfType(IOException.class).isThrownBy(
				() -> PemPrivateKey.parse("-----BEGIN EC PRIVATE KEY-----\nMAMCAQE=\n-----END EC PRIVATE KEY-----\n"))
			.withMessageContaining("expected the EC private key octets, but the DER ends");
	}

}
