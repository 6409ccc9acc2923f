package io.pluginrpc.logging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads a plugin's output into lines until end of stream, with a cap per line: a longer line is cut and
 * marked ({@code …[truncated N bytes]}), never lost silently and never allowed to grow memory without
 * bound. Invalid UTF-8 is replaced, not fatal.
 */
public final class LineReader {

	/** go-plugin's host buffers 64 KiB per stderr line. */
	public static final int DEFAULT_MAX_LINE = 64 * 1024;

	private LineReader() {
	}

	/**
	 * Reads lines until end of stream; I/O errors end the reading quietly (the process is gone).
	 * @param in the stream
	 * @param maxLine most bytes kept per line
	 * @param lines receives each line without its line terminator
	 */
	public static void drain(InputStream in, int maxLine, Consumer<String> lines) {
		ByteArrayOutputStream line = new ByteArrayOutputStream(256);
		long dropped = 0;
		byte[] buffer = new byte[8192];
		try {
			int read;
			while ((read = in.read(buffer)) >= 0) {
				for (int i = 0; i < read; i++) {
					byte b = buffer[i];
					if (b == '\n') {
						lines.accept(text(line, dropped));
						line.reset();
						dropped = 0;
					}
					else if (line.size() < maxLine) {
						line.write(b);
					}
					else {
						dropped++;
					}
				}
			}
		}
		catch (IOException ex) {
			// The stream closed under us: the process is gone or being killed.
		}
		if (line.size() > 0 || dropped > 0) {
			lines.accept(text(line, dropped));
		}
	}

	private static String text(ByteArrayOutputStream line, long dropped) {
		String text = line.toString(StandardCharsets.UTF_8);
		if (text.endsWith("\r")) {
			text = text.substring(0, text.length() - 1);
		}
		return (dropped > 0) ? text + " …[truncated " + dropped + " bytes]" : text;
	}

}
