package io.pluginrpc.plugin;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the plugin's real stdout for the one handshake line. Until then
 * {@code System.out} is sent to stderr ({@link #guard()}), so a library that prints at
 * start-up cannot corrupt the handshake: a Go host takes the first stdout line as the
 * handshake, whatever it is.
 * <p>
 * What this guards is process-wide by nature ({@code System.out} is one field of the
 * JVM), but the guard holds no static state: the plugin's entry point (the Spring glue's
 * environment post-processor, or a plain {@code main}) creates one instance and hands it
 * to whoever writes the handshake. The instance keeps the real stdout from before
 * {@code System.out} was replaced, and writes the handshake once.
 */
public final class PluginStdout {

	private final OutputStream stdout;

	private final OutputStream stderr;

	private boolean guarded;

	private volatile boolean handshakeWritten;

	/** A guard over the process's real stdout and stderr file descriptors. */
	public PluginStdout() {
		this(new FileOutputStream(FileDescriptor.out), new FileOutputStream(FileDescriptor.err));
	}

	/**
	 * @param stdout where the handshake line goes
	 * @param stderr where {@code System.out} goes until the plugin replaces it after the
	 * handshake
	 */
	PluginStdout(OutputStream stdout, OutputStream stderr) {
		this.stdout = stdout;
		this.stderr = stderr;
	}

	/**
	 * Sends {@code System.out} to stderr until the plugin replaces it after the
	 * handshake; once.
	 */
	public synchronized void guard() {
		if (!this.guarded) {
			System.setOut(new PrintStream(this.stderr, true, StandardCharsets.UTF_8));
			this.guarded = true;
		}
	}

	/**
	 * Writes the handshake line to the real stdout and flushes it; only once.
	 * @param line the formatted line, ending in a newline
	 */
	public synchronized void writeHandshake(String line) {
		if (this.handshakeWritten) {
			throw new IllegalStateException("The handshake line was already written");
		}
		try {
			this.stdout.write(line.getBytes(StandardCharsets.US_ASCII));
			this.stdout.flush();
			this.handshakeWritten = true;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write the handshake line to stdout", ex);
		}
	}

	/**
	 * @return whether the handshake line went out
	 */
	public boolean handshakeWritten() {
		return this.handshakeWritten;
	}

}
