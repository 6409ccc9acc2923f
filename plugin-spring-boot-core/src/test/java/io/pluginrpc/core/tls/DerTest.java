package io.pluginrpc.core.tls;

import java.math.BigInteger;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DER pieces the AutoMTLS certificate is built from, against encodings from X.690 and
 * RFC 5280.
 */
class DerTest {

	@Test
	void lengthsOver127UseTheLongForm() {
		assertThat(Der.tagged(0x04, new byte[127])).startsWith(0x04, 0x7F);
		assertThat(Der.tagged(0x04, new byte[128])).startsWith(0x04, 0x81, 0x80);
		assertThat(Der.tagged(0x04, new byte[300])).startsWith(0x04, 0x82, 0x01, 0x2C).hasSize(304);
	}

	@Test
	void encodesObjectIdentifiersInBase128() {
		// ecdsa-with-SHA512 and id-kp-clientAuth as every certificate carries them.
		assertThat(Der.oid("1.2.840.10045.4.3.4")).containsExactly(0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03,
				0x04);
		assertThat(Der.oid("1.3.6.1.5.5.7.3.2")).containsExactly(0x06, 0x08, 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03,
				0x02);
	}

	@Test
	void integersAreMinimalAndPositive() {
		assertThat(Der.integer(BigInteger.TWO)).containsExactly(0x02, 0x01, 0x02);
		assertThat(Der.integer(BigInteger.valueOf(128))).containsExactly(0x02, 0x02, 0x00, 0x80);
	}

	@Test
	void timesBefore2050AreUtcTimeLaterOnesGeneralizedTime() {
		assertThat(Der.time(Instant.parse("2049-12-31T23:59:59Z"))).startsWith(0x17, 13).endsWith('5', '9', 'Z');
		assertThat(new String(Der.time(Instant.parse("2056-03-04T05:06:07Z")), 2, 15,
				java.nio.charset.StandardCharsets.US_ASCII))
			.isEqualTo("20560304050607Z");
		assertThat(Der.time(Instant.parse("2056-03-04T05:06:07Z"))[0]).isEqualTo((byte) 0x18);
	}

}
