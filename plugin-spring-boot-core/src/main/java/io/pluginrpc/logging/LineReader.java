package io.pluginrpc.logging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Splits a plugin's output stream into lines with a cap per line: a longer line is cut
 * and marked ({@code …[truncated N bytes]}), never lost silently and never allowed to
 * grow memory without bound. Lines end at {@code \n} ({@code \r\n} too); bytes that are
 * not UTF-8 become U+FFFD. Not thread-safe: one reader per stream, read by one thread.
 */
public final class LineReader {

	/** go-plugin's host buffers 64 KiB per stderr line. */
	public static final int DEFAULT_MAX_LINE = 64 * 1024;

	/**
	 * Room kept for the marker inside the cap, so that a marked line is still at most the
	 * cap and a later stage with the same cap ({@link PluginLogForwarder}) never cuts it
	 * again. The longest marker, for {@code Long.MAX_VALUE} bytes, takes 41 bytes.
	 */
	public static final int MARKER_ROOM = 48;

	/** The smallest cap per line: twice the room for the marker. */
	static final int MIN_MAX_LINE = 2 * MARKER_ROOM;

	private final InputStream in;

	private final int maxLine;

	private final byte[] buffer = new byte[8192];

	private int position;

	private int limit;

	// The current line: at most maxLine bytes are kept, the rest only counted.
	private byte[] line = new byte[256];

	private int length;

	private long overflow;

	private boolean lastWasCarriageReturn;

	private IOException pendingFailure;

	/**
	 * @param in the stream to read
	 * @param maxLine most bytes per line, the marker included (at least 96)
	 */
	public LineReader(InputStream in, int maxLine) {
		this.in = Objects.requireNonNull(in, "in");
		if (maxLine < MIN_MAX_LINE) {
			throw new IllegalArgumentException(
					"maxLine must be at least " + MIN_MAX_LINE + " bytes, but was " + maxLine);
		}
		this.maxLine = maxLine;
	}

	/**
	 * Reads the next line.
	 * @return the line without its terminator, or {@code null} at end of stream; the last
	 * line needs no terminator
	 * @throws IOException if reading fails; a line read partly before the failure is
	 * returned first
	 */
	public String readLine() throws IOException {
		if (this.pendingFailure != null) {
			IOException failure = this.pendingFailure;
			this.pendingFailure = null;
			throw failure;
		}
		boolean started = false;
		while (true) {
			if (this.position == this.limit) {
				int read;
				try {
					read = this.in.read(this.buffer);
				}
				catch (IOException ex) {
					if (!started) {
						throw ex;
					}
					// Give the caller what arrived before the failure; report the failure
					// on the next call.
					this.pendingFailure = ex;
					return finishLine();
				}
				if (read < 0) {
					return started ? finishLine() : null;
				}
				this.position = 0;
				this.limit = read;
				continue;
			}
			started = true;
			int newline = indexOfNewline(this.position, this.limit);
			int end = (newline >= 0) ? newline : this.limit;
			append(this.position, end);
			if (newline >= 0) {
				this.position = newline + 1;
				return finishLine();
			}
			this.position = this.limit;
		}
	}

	/**
	 * Reads lines until end of stream with {@link #DEFAULT_MAX_LINE}.
	 * @param in the stream
	 * @param lines receives each line without its line terminator
	 * @see #drain(InputStream, int, Consumer)
	 */
	public static void drain(InputStream in, Consumer<String> lines) {
		drain(in, DEFAULT_MAX_LINE, lines);
	}

	/**
	 * Reads lines until end of stream. An I/O error ends the reading quietly: the process
	 * is gone or its stream was closed on purpose. A consumer that throws loses that line
	 * only: a plugin whose stderr is no longer read blocks once the pipe is full, so the
	 * reading must go on.
	 * @param in the stream
	 * @param maxLine most bytes per line, the marker included (at least 96)
	 * @param lines receives each line without its line terminator
	 */
	public static void drain(InputStream in, int maxLine, Consumer<String> lines) {
		LineReader reader = new LineReader(in, maxLine);
		while (true) {
			String line;
			try {
				line = reader.readLine();
			}
			catch (IOException ex) {
				return;
			}
			if (line == null) {
				return;
			}
			try {
				lines.accept(line);
			}
			catch (RuntimeException ex) {
				// Deliberately ignored; see the method comment.
			}
		}
	}

	/**
	 * Cuts a line to at most {@code maxBytes} UTF-8 bytes, marker included, at a
	 * character boundary.
	 * @param line the line
	 * @param maxBytes the cap (at least 96)
	 * @return the line itself if it fits, else its start followed by
	 * {@code  …[truncated N bytes]}
	 */
	public static String truncate(String line, int maxBytes) {
		if (maxBytes < MIN_MAX_LINE) {
			throw new IllegalArgumentException(
					"maxBytes must be at least " + MIN_MAX_LINE + " bytes, but was " + maxBytes);
		}
		// A UTF-16 char takes at most 3 UTF-8 bytes: most lines need no encoding to know
		// they fit.
		if (line.length() <= maxBytes / 3) {
			return line;
		}
		byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
		if (bytes.length <= maxBytes) {
			return line;
		}
		int keep = characterBoundary(bytes, maxBytes - MARKER_ROOM);
		return new String(bytes, 0, keep, StandardCharsets.UTF_8) + marker(bytes.length - keep);
	}

	/**
	 * @param droppedBytes how many bytes were cut
	 * @return the marker that ends a cut line
	 */
	public static String marker(long droppedBytes) {
		return " …[truncated " + droppedBytes + " bytes]";
	}

	private int indexOfNewline(int from, int to) {
		for (int i = from; i < to; i++) {
			if (this.buffer[i] == '\n') {
				return i;
			}
		}
		return -1;
	}

	private void append(int from, int to) {
		int count = to - from;
		if (count == 0) {
			return;
		}
		this.lastWasCarriageReturn = this.buffer[to - 1] == '\r';
		int kept = Math.min(count, this.maxLine - this.length);
		if (kept > 0) {
			if (this.length + kept > this.line.length) {
				this.line = Arrays.copyOf(this.line,
						Math.min(this.maxLine, Math.max(this.line.length * 2, this.length + kept)));
			}
			System.arraycopy(this.buffer, from, this.line, this.length, kept);
			this.length += kept;
		}
		this.overflow += count - kept;
	}

	private String finishLine() {
		int keep = this.length;
		long dropped = this.overflow;
		if (this.lastWasCarriageReturn) {
			// "\r\n": the carriage return belongs to the terminator, even when it fell
			// into the cut part.
			if (dropped > 0) {
				dropped--;
			}
			else {
				keep--;
			}
		}
		String text;
		if (dropped > 0) {
			int cut = characterBoundary(this.line, Math.min(keep, this.maxLine - MARKER_ROOM));
			dropped += keep - cut;
			text = new String(this.line, 0, cut, StandardCharsets.UTF_8) + marker(dropped);
		}
		else {
			text = new String(this.line, 0, keep, StandardCharsets.UTF_8);
		}
		this.length = 0;
		this.overflow = 0;
		this.lastWasCarriageReturn = false;
		if (this.line.length > 4096) {
			// One huge line should not pin its buffer for the life of the plugin.
			this.line = new byte[256];
		}
		return text;
	}

	/**
	 * Moves a cut position back to the start of a UTF-8 sequence, so no character is
	 * split.
	 */
	private static int characterBoundary(byte[] bytes, int cut) {
		int position = cut;
		// At most three continuation bytes (10xxxxxx) follow a lead byte.
		for (int i = 0; i < 3 && position > 0 && position < bytes.length && (bytes[position] & 0xC0) == 0x80; i++) {
			position--;
		}
		return position;
	}

}
