package io.pluginrpc.core.mux;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * One yamux frame header (12 bytes, big-endian): version, type, flags, stream id, length.
 * See the package documentation for what each field means per type.
 *
 * @param type {@link #DATA}, {@link #WINDOW_UPDATE}, {@link #PING} or {@link #GO_AWAY}
 * @param flags a combination of {@link #SYN}, {@link #ACK}, {@link #FIN}, {@link #RST}
 * @param streamId the stream, 0 for the session
 * @param length payload length (data), window increment (window update), opaque value
 * (ping), code (go-away); an unsigned 32-bit value held in a long
 */
public record YamuxFrame(int type, int flags, int streamId, long length) {

	/** The only yamux protocol version. */
	public static final int VERSION = 0;

	public static final int HEADER_SIZE = 12;

	public static final int DATA = 0;

	public static final int WINDOW_UPDATE = 1;

	public static final int PING = 2;

	public static final int GO_AWAY = 3;

	public static final int SYN = 0x1;

	public static final int ACK = 0x2;

	public static final int FIN = 0x4;

	public static final int RST = 0x8;

	public static final long GO_AWAY_NORMAL = 0;

	public static final long GO_AWAY_PROTOCOL_ERROR = 1;

	public static final long GO_AWAY_INTERNAL_ERROR = 2;

	/** Every stream's window at open, both directions. */
	public static final int INITIAL_WINDOW = 256 * 1024;

	public YamuxFrame {
		if (type < DATA || type > GO_AWAY) {
			throw new IllegalArgumentException("unknown yamux frame type " + type);
		}
		if (flags < 0 || flags > 0xFFFF) {
			throw new IllegalArgumentException("yamux flags must fit 16 bits: " + flags);
		}
		if (length < 0 || length > 0xFFFF_FFFFL) {
			throw new IllegalArgumentException("yamux length must fit 32 unsigned bits: " + length);
		}
	}

	/**
	 * @return whether all of {@code flag} is set
	 */
	public boolean has(int flag) {
		return (this.flags & flag) == flag;
	}

	/**
	 * @return the stream id as the unsigned value it is on the wire
	 */
	public long unsignedStreamId() {
		return Integer.toUnsignedLong(this.streamId);
	}

	/**
	 * @return the 12 header bytes
	 */
	public byte[] encode() {
		byte[] header = new byte[HEADER_SIZE];
		header[0] = VERSION;
		header[1] = (byte) this.type;
		header[2] = (byte) (this.flags >>> 8);
		header[3] = (byte) this.flags;
		putInt(header, 4, this.streamId);
		putInt(header, 8, (int) this.length);
		return header;
	}

	/**
	 * Decodes a header.
	 * @param header at least 12 bytes; only the first 12 are read
	 * @return the frame header
	 * @throws YamuxProtocolException for a version other than 0 or an unknown type
	 */
	public static YamuxFrame decode(byte[] header) throws YamuxProtocolException {
		if (header.length < HEADER_SIZE) {
			throw new YamuxProtocolException("a yamux header has 12 bytes, but only " + header.length + " arrived");
		}
		int version = header[0] & 0xFF;
		if (version != VERSION) {
			throw new YamuxProtocolException("expected yamux protocol version 0, but a frame says " + version);
		}
		int type = header[1] & 0xFF;
		if (type > GO_AWAY) {
			throw new YamuxProtocolException(
					"expected a yamux frame type 0-3 (data, window update, ping, go-away), but got " + type);
		}
		int flags = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
		int streamId = getInt(header, 4);
		long length = Integer.toUnsignedLong(getInt(header, 8));
		return new YamuxFrame(type, flags, streamId, length);
	}

	/**
	 * Reads the next header from a stream.
	 * @param in the connection
	 * @return the header, or {@code null} at a clean end of input (before the first byte
	 * of a header)
	 * @throws EOFException if the input ends inside a header
	 * @throws YamuxProtocolException if the header is invalid
	 */
	public static YamuxFrame read(InputStream in) throws IOException {
		byte[] header = new byte[HEADER_SIZE];
		int filled = 0;
		while (filled < HEADER_SIZE) {
			int n = in.read(header, filled, HEADER_SIZE - filled);
			if (n < 0) {
				if (filled == 0) {
					return null;
				}
				throw new EOFException("the connection ended inside a yamux header (" + filled + " of 12 bytes)");
			}
			filled += n;
		}
		return decode(header);
	}

	@Override
	public String toString() {
		String[] names = { "data", "window-update", "ping", "go-away" };
		return names[this.type] + "(stream=" + unsignedStreamId() + ", flags=0x" + Integer.toHexString(this.flags)
				+ ", length=" + this.length + ")";
	}

	private static void putInt(byte[] bytes, int offset, int value) {
		bytes[offset] = (byte) (value >>> 24);
		bytes[offset + 1] = (byte) (value >>> 16);
		bytes[offset + 2] = (byte) (value >>> 8);
		bytes[offset + 3] = (byte) value;
	}

	private static int getInt(byte[] bytes, int offset) {
		return ((bytes[offset] & 0xFF) << 24) | ((bytes[offset + 1] & 0xFF) << 16) | ((bytes[offset + 2] & 0xFF) << 8)
				| (bytes[offset + 3] & 0xFF);
	}

}
