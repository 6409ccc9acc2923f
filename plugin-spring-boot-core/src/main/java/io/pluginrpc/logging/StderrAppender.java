package io.pluginrpc.logging;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;

/**
 * Writes log events to the process's real stderr (file descriptor 2). Logback's console
 * appender writes through {@code System.err}, which a plugin redirects to the host's
 * GRPCStdio stream after the handshake; logs must stay on fd 2, where the host parses
 * them.
 */
public class StderrAppender extends OutputStreamAppender<ILoggingEvent> {

	@Override
	public void start() {
		setOutputStream(realStderr());
		// One write per event, flushed at once: the host reads stderr line by line as the
		// plugin runs.
		setImmediateFlush(true);
		super.start();
	}

	/**
	 * A stream on fd 2 that ignores {@code close()}: stopping the appender (Logback
	 * reconfigures on Spring Boot's start) must not close the process's stderr for
	 * everyone else.
	 * @return a new stream on the real stderr
	 */
	public static OutputStream realStderr() {
		return new UnclosableStream(new FileOutputStream(FileDescriptor.err));
	}

	/**
	 * Passes bytes through in bulk (FilterOutputStream alone writes byte by byte) and
	 * never closes.
	 */
	private static final class UnclosableStream extends FilterOutputStream {

		UnclosableStream(OutputStream out) {
			super(out);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			this.out.write(bytes, offset, length);
		}

		@Override
		public void close() throws IOException {
			flush();
		}

	}

}
