package io.pluginrpc.logging;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Splitting a plugin's output into capped lines: read boundaries, terminators, cuts, bad
 * bytes, failures.
 */
class LineReaderTest {

	private static final String TEXT = "first\r\nsecond\n\n\u00e9t\u00e9 \u20ac \uD83D\uDE00\r\nlone\rcarriage\n"
			+ "x".repeat(20_000) + "\nno newline at the end";

	private static final List<String> LINES = List.of("first", "second", "", "\u00e9t\u00e9 \u20ac \uD83D\uDE00",
			"lone\rcarriage", "x".repeat(20_000), "no newline at the end");

	@ParameterizedTest(name = "{0} bytes per read")
	@ValueSource(ints = { 1, 2, 3, 5, 7, 8191, 8192, 100_000 })
	void splitsLinesWhereverTheReadsEnd(int bytesPerRead) {
		assertThat(drain(new Trickle(TEXT.getBytes(StandardCharsets.UTF_8), bytesPerRead), LineReader.DEFAULT_MAX_LINE))
			.isEqualTo(LINES);
	}

	@Test
	void handlesEmptyStreamsAndLonelyTerminators() {
		assertThat(drain("", 100)).isEmpty();
		assertThat(drain("\n", 100)).containsExactly("");
		assertThat(drain("\r\n\r\n", 100)).containsExactly("", "");
		assertThat(drain("a\n", 100)).containsExactly("a");
		assertThat(drain("a\r", 100)).containsExactly("a");
		assertThat(drain("\r", 100)).containsExactly("");
	}

	@Test
	void cutsA1MiBLineWithAMarkerAndKeepsTheNextLine() {
		String huge = "x".repeat(1024 * 1024);
		List<String> lines = drain(huge + "\r\nshort\n", LineReader.DEFAULT_MAX_LINE);
		assertThat(lines).hasSize(2);
		String cut = lines.get(0);
		int kept = LineReader.DEFAULT_MAX_LINE - LineReader.MARKER_ROOM;
		assertThat(cut).isEqualTo("x".repeat(kept) + " …[truncated " + (1024 * 1024 - kept) + " bytes]");
		assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(LineReader.DEFAULT_MAX_LINE);
		assertThat(lines.get(1)).isEqualTo("short");
	}

	@Test
	void keepsALineOfExactlyTheCapAndCutsOneByteMore() {
		assertThat(drain("y".repeat(100) + "\n" + "z".repeat(101) + "\n", 100)).containsExactly("y".repeat(100),
				"z".repeat(52) + " …[truncated 49 bytes]");
	}

	@Test
	void neverCutsInsideACharacter() {
		// 'é' is two bytes: the cut at an odd byte position moves back one byte, counted
		// as truncated.
		String line = drain("\u00e9".repeat(1000) + "\n", 101).get(0);
		assertThat(line).doesNotContain("\uFFFD").startsWith("\u00e9".repeat(26) + " …[truncated 1948 bytes]");
		// Emoji are four bytes.
		assertThat(drain("\uD83D\uDE00".repeat(100) + "\n", 101).get(0))
			.isEqualTo("\uD83D\uDE00".repeat(13) + " …[truncated 348 bytes]");
	}

	@Test
	void replacesInvalidUtf8() {
		byte[] invalid = { (byte) 0xff, (byte) 0xfe, 'o', 'k', '\n', (byte) 0xc3, '\n', (byte) 0xed, (byte) 0xa0,
				(byte) 0x80, '!' };
		List<String> lines = drain(new ByteArrayInputStream(invalid), 100);
		assertThat(lines).hasSize(3);
		assertThat(lines.get(0)).isEqualTo("\uFFFD\uFFFDok");
		assertThat(lines.get(1)).isEqualTo("\uFFFD");
		assertThat(lines.get(2)).endsWith("!").contains("\uFFFD");
	}

	@Test
	void deliversWhatArrivedBeforeAnIoErrorThenStopsQuietly() throws IOException {
		InputStream failing = new InputStream() {
			private final InputStream data = new ByteArrayInputStream("one\npart".getBytes(StandardCharsets.UTF_8));

			@Override
			public int read() throws IOException {
				int b = this.data.read();
				if (b < 0) {
					throw new IOException("Stream closed");
				}
				return b;
			}
		};
		assertThat(drain(failing, 100)).containsExactly("one", "part");
		LineReader reader = new LineReader(new InputStream() {
			@Override
			public int read() throws IOException {
				throw new IOException("Stream closed");
			}
		}, 100);
		assertThatExceptionOfType(IOException.class).isThrownBy(reader::readLine);
	}

	@Test
	void keepsDrainingWhenTheConsumerThrows() {
		List<String> seen = new ArrayList<>();
		LineReader.drain(new ByteArrayInputStream("a\nb\nc\n".getBytes(StandardCharsets.UTF_8)), (line) -> {
			seen.add(line);
			if (line.equals("a")) {
				throw new IllegalStateException("consumer bug");
			}
		});
		assertThat(seen).containsExactly("a", "b", "c");
	}

	@Test
	void truncatesAStringWithTheSameMarker() {
		String fits = "\u20ac".repeat(33);
		assertThat(LineReader.truncate(fits, 100)).isSameAs(fits);
		String cut = LineReader.truncate("\u20ac".repeat(40), 100);
		assertThat(cut).isEqualTo("\u20ac".repeat(17) + " …[truncated 69 bytes]");
		assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(100);
		assertThat(LineReader.truncate(cut, 100)).as("a marked line is not cut again").isSameAs(cut);
	}

	@Test
	void refusesACapWithoutRoomForTheMarker() {
		assertThatIllegalArgumentException().isThrownBy(() -> new LineReader(InputStream.nullInputStream(), 10));
		assertThatIllegalArgumentException().isThrownBy(() -> LineReader.truncate("x", 10));
	}

	private static List<String> drain(String text, int maxLine) {
		return drain(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), maxLine);
	}

	private static List<String> drain(InputStream in, int maxLine) {
		List<String> lines = new ArrayList<>();
		LineReader.drain(in, maxLine, lines::add);
		return lines;
	}

	/** Hands out at most a few bytes per read, as a pipe does under load. */
	private static final class Trickle extends InputStream {

		private final byte[] data;

		private final int step;

		private int position;

		Trickle(byte[] data, int step) {
			this.data = data;
			this.step = step;
		}

		@Override
		public int read() {
			return (this.position < this.data.length) ? this.data[this.position++] & 0xff : -1;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			if (this.position == this.data.length) {
				return -1;
			}
			int count = Math.min(Math.min(length, this.step), this.data.length - this.position);
			System.arraycopy(this.data, this.position, buffer, offset, count);
			this.position += count;
			return count;
		}

	}

}
