package io.pluginrpc.core.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The handful of DER encodings (X.690) an AutoMTLS certificate needs. Enough to build one
 * fixed-shape certificate with the JDK alone: BouncyCastle's certificate builder cost
 * 0.3-1 s of a cold start.
 */
final class Der {

	private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
		.withZone(ZoneOffset.UTC);

	private static final DateTimeFormatter GENERALIZED_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'")
		.withZone(ZoneOffset.UTC);

	/**
	 * Dates from 2050 on are GeneralizedTime, earlier ones UTCTime (RFC 5280 section
	 * 4.1.2.5).
	 */
	private static final Instant UTC_TIME_END = Instant.parse("2050-01-01T00:00:00Z");

	private Der() {
	}

	static byte[] sequence(byte[]... parts) {
		return tagged(0x30, concat(parts));
	}

	static byte[] set(byte[]... parts) {
		return tagged(0x31, concat(parts));
	}

	/** Context-specific constructed tag {@code [n]}, as used for explicit tagging. */
	static byte[] explicit(int number, byte[] content) {
		return tagged(0xA0 | number, content);
	}

	/**
	 * Context-specific primitive tag {@code [n]} replacing the content's own tag
	 * (implicit tagging).
	 */
	static byte[] implicitPrimitive(int number, byte[] content) {
		return tagged(0x80 | number, content);
	}

	static byte[] integer(BigInteger value) {
		return tagged(0x02, value.toByteArray());
	}

	static byte[] bool(boolean value) {
		return tagged(0x01, new byte[] { (byte) (value ? 0xFF : 0x00) });
	}

	static byte[] octetString(byte[] value) {
		return tagged(0x04, value);
	}

	/**
	 * @param unusedBits how many trailing bits of the last byte are padding
	 * @param value the bits
	 */
	static byte[] bitString(int unusedBits, byte[] value) {
		return tagged(0x03, concat(new byte[] { (byte) unusedBits }, value));
	}

	static byte[] utf8String(String value) {
		return tagged(0x0C, value.getBytes(StandardCharsets.UTF_8));
	}

	static byte[] time(Instant instant) {
		return instant.isBefore(UTC_TIME_END)
				? tagged(0x17, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII))
				: tagged(0x18, GENERALIZED_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
	}

	static byte[] oid(String dotted) {
		String[] arcs = dotted.split("\\.");
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		base128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
		for (int i = 2; i < arcs.length; i++) {
			base128(out, Long.parseLong(arcs[i]));
		}
		return tagged(0x06, out.toByteArray());
	}

	private static void base128(ByteArrayOutputStream out, long value) {
		int groups = 1;
		while ((value >>> (7 * groups)) != 0) {
			groups++;
		}
		for (int group = groups - 1; group >= 0; group--) {
			int bits = (int) ((value >>> (7 * group)) & 0x7F);
			out.write((group > 0) ? (bits | 0x80) : bits);
		}
	}

	static byte[] tagged(int tag, byte[] content) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
		out.write(tag);
		int length = content.length;
		if (length < 0x80) {
			out.write(length);
		}
		else {
			int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
			out.write(0x80 | bytes);
			for (int i = bytes - 1; i >= 0; i--) {
				out.write(length >>> (8 * i));
			}
		}
		out.writeBytes(content);
		return out.toByteArray();
	}

	static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

	/**
	 * @param der one or more DER elements
	 * @return a reader positioned at the first
	 */
	static Reader read(byte[] der) {
		return new Reader(der, 0, der.length);
	}

	/**
	 * Walks DER elements in {@code [offset, end)}: {@link #next()} reads one,
	 * {@link #contents()} enters it.
	 */
	static final class Reader {

		private final byte[] der;

		private int offset;

		private final int end;

		private int tag;

		private int start;

		private int contentStart;

		private int contentEnd;

		private Reader(byte[] der, int offset, int end) {
			this.der = der;
			this.offset = offset;
			this.end = end;
		}

		boolean hasMore() {
			return this.offset < this.end;
		}

		/**
		 * @return this reader, now on the next element
		 */
		Reader next() throws java.io.IOException {
			if (this.offset + 2 > this.end) {
				throw new java.io.IOException("the DER ends in the middle of an element");
			}
			this.start = this.offset;
			this.tag = this.der[this.offset++] & 0xFF;
			int length = this.der[this.offset++] & 0xFF;
			if (length >= 0x80) {
				int bytes = length & 0x7F;
				if (bytes == 0 || bytes > 3 || this.offset + bytes > this.end) {
					throw new java.io.IOException("the DER has an unsupported length encoding");
				}
				length = 0;
				for (int i = 0; i < bytes; i++) {
					length = (length << 8) | (this.der[this.offset++] & 0xFF);
				}
			}
			if (this.offset + length > this.end) {
				throw new java.io.IOException("a DER element is longer than what holds it");
			}
			this.contentStart = this.offset;
			this.contentEnd = this.offset + length;
			this.offset = this.contentEnd;
			return this;
		}

		/** Reads the next element and checks its tag. */
		Reader expect(int expectedTag, String what) throws java.io.IOException {
			if (!hasMore()) {
				throw new java.io.IOException("expected " + what + ", but the DER ends");
			}
			next();
			if (this.tag != expectedTag) {
				throw new java.io.IOException(
						String.format("expected %s (tag 0x%02x), found tag 0x%02x", what, expectedTag, this.tag));
			}
			return this;
		}

		int tag() {
			return this.tag;
		}

		/**
		 * @return a reader over the current element's contents
		 */
		Reader contents() {
			return new Reader(this.der, this.contentStart, this.contentEnd);
		}

		/**
		 * @return the current element with its tag and length
		 */
		byte[] encoded() {
			return java.util.Arrays.copyOfRange(this.der, this.start, this.contentEnd);
		}

	}

}
