package io.pluginrpc.core.mux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import io.pluginrpc.core.transport.Transports;

/**
 * Joins a yamux stream and a local socket connection byte for byte, in both directions,
 * so that an ordinary gRPC server or channel on a local socket talks over the stream. End
 * of input on one side becomes a half-close on the other (FIN, or
 * {@code shutdownOutput}); an error resets the stream and closes the socket.
 */
final class StreamSplice {

	private static final int BUFFER = 32 * 1024;

	static final ExecutorService THREADS = Executors.newCachedThreadPool(Transports.daemonThreads("yamux-splice"));

	private StreamSplice() {
	}

	static void splice(YamuxStream stream, SocketChannel local) {
		splice(stream, local, THREADS);
	}

	static void splice(YamuxStream stream, SocketChannel local, Executor executor) {
		AtomicInteger running = new AtomicInteger(2);
		Runnable finished = () -> {
			if (running.decrementAndGet() == 0) {
				closeQuietly(local);
				stream.close();
			}
		};
		executor.execute(() -> {
			try {
				byte[] buffer = new byte[BUFFER];
				int n;
				while ((n = stream.input().read(buffer, 0, buffer.length)) >= 0) {
					ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
					while (chunk.hasRemaining()) {
						local.write(chunk);
					}
				}
				local.shutdownOutput();
			}
			catch (IOException ex) {
				stream.reset();
				closeQuietly(local);
			}
			finally {
				finished.run();
			}
		});
		executor.execute(() -> {
			try {
				ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
				while (local.read(buffer) >= 0) {
					stream.output().write(buffer.array(), 0, buffer.position());
					buffer.clear();
				}
				stream.closeWrite();
			}
			catch (IOException ex) {
				stream.reset();
				closeQuietly(local);
			}
			finally {
				finished.run();
			}
		});
	}

	static void closeQuietly(java.io.Closeable closeable) {
		try {
			closeable.close();
		}
		catch (IOException ex) {
			// Already broken; nothing to add.
		}
	}

}
