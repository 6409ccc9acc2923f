package io.pluginrpc.core.mux;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Streams over a blocking {@link SocketChannel} that can read and write at the same time
 * from two threads ({@code Channels.newInputStream}/{@code newOutputStream} serialize
 * both on the channel's blocking lock, which would stall a session's writers behind its
 * reader).
 */
final class SocketChannelStreams {

	private SocketChannelStreams() {
	}

	static InputStream input(SocketChannel channel) {
		return new InputStream() {
			@Override
			public int read() throws IOException {
				byte[] one = new byte[1];
				return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xFF);
			}

			@Override
			public int read(byte[] b, int off, int len) throws IOException {
				if (len == 0) {
					return 0;
				}
				return channel.read(ByteBuffer.wrap(b, off, len));
			}

			@Override
			public void close() throws IOException {
				channel.close();
			}
		};
	}

	static OutputStream output(SocketChannel channel) {
		return new OutputStream() {
			@Override
			public void write(int b) throws IOException {
				write(new byte[] { (byte) b }, 0, 1);
			}

			@Override
			public void write(byte[] b, int off, int len) throws IOException {
				ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
			}

			@Override
			public void close() throws IOException {
				channel.close();
			}
		};
	}

	/**
	 * Starts a yamux session over a connected channel.
	 * @param name the session's name
	 * @param channel the connection
	 * @param client whether this side dialled (a host)
	 * @return the session
	 */
	static YamuxSession session(String name, SocketChannel channel, boolean client) {
		return client ? YamuxSession.client(name, input(channel), output(channel), channel)
				: YamuxSession.server(name, input(channel), output(channel), channel);
	}

}
