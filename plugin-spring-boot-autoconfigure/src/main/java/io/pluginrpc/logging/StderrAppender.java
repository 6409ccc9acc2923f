package io.pluginrpc.logging;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;

/**
 * Writes log events to the process's real stderr (file descriptor 2). Logback's console appender
 * writes through {@code System.err}, which a plugin redirects to the host's GRPCStdio stream after the
 * handshake; logs must stay on fd 2, where the host parses them.
 */
public class StderrAppender extends OutputStreamAppender<ILoggingEvent> {

	@Override
	public void start() {
		setOutputStream(new FilterOutputStream(new FileOutputStream(FileDescriptor.err)) {
			@Override
			public void write(byte[] bytes, int offset, int length) throws IOException {
				this.out.write(bytes, offset, length);
			}

			@Override
			public void close() throws IOException {
				// fd 2 belongs to the process: flush, never close.
				flush();
			}
		});
		setImmediateFlush(true);
		super.start();
	}

	/** @return a stream on fd 2 that is never closed, for code that needs the real stderr */
	public static OutputStream realStderr() {
		return new FileOutputStream(FileDescriptor.err);
	}

}
