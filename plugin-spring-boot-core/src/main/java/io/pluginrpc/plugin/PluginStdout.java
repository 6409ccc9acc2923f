package io.pluginrpc.plugin;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the plugin's real stdout for the one handshake line. Until then {@code System.out} is sent to
 * stderr ({@link #guard()}), so a library that prints at start-up cannot corrupt the handshake: a Go
 * host takes the first stdout line as the handshake, whatever it is.
 */
public final class PluginStdout {

	private static final OutputStream REAL_STDOUT = new FileOutputStream(FileDescriptor.out);

	private static volatile boolean guarded;

	private static volatile boolean handshakeWritten;

	private PluginStdout() {
	}

	/** Sends {@code System.out} to the real stderr until the plugin replaces it after the handshake. */
	public static synchronized void guard() {
		if (!guarded) {
			System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
			guarded = true;
		}
	}

	/**
	 * Writes the handshake line to the real stdout and flushes it; only once per process.
	 * @param line the formatted line, ending in a newline
	 */
	public static synchronized void writeHandshake(String line) {
		if (handshakeWritten) {
			throw new IllegalStateException("The handshake line was already written");
		}
		try {
			REAL_STDOUT.write(line.getBytes(StandardCharsets.US_ASCII));
			REAL_STDOUT.flush();
			handshakeWritten = true;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write the handshake line to stdout", ex);
		}
	}

	/** @return whether the handshake line went out */
	public static boolean handshakeWritten() {
		return handshakeWritten;
	}

}
