package io.pluginrpc.plugin.stdio;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.pluginrpc.proto.plugin.StdioData;

/**
 * What the plugin writes to {@code System.out}/{@code System.err} after the handshake, kept for the
 * host's GRPCStdio stream: chunks of at most {@value #MAX_CHUNK} bytes, like go-plugin, in a bounded
 * buffer. A writer never blocks: when the host reads too slowly (or never, like go-plugin 1.0.1 hosts)
 * the oldest output is dropped and counted.
 */
public final class StdioCapture {

	/** go-plugin sends stdio in chunks of at most this many bytes. */
	public static final int MAX_CHUNK = 1024;

	/** One piece of output and the stream it was written to. */
	public record Chunk(StdioData.Channel channel, byte[] data) {
	}

	private final int capacity;

	private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition available = this.lock.newCondition();

	private final AtomicLong dropped = new AtomicLong();

	private final PrintStream stdout;

	private final PrintStream stderr;

	private int size;

	/** @param capacity how many bytes to keep at most */
	public StdioCapture(int capacity) {
		if (capacity < MAX_CHUNK) {
			throw new IllegalArgumentException("capacity must be at least " + MAX_CHUNK + " bytes, but was " + capacity);
		}
		this.capacity = capacity;
		this.stdout = new PrintStream(new ChannelStream(StdioData.Channel.STDOUT), true, StandardCharsets.UTF_8);
		this.stderr = new PrintStream(new ChannelStream(StdioData.Channel.STDERR), true, StandardCharsets.UTF_8);
	}

	/** @return the stream to install as {@code System.out} */
	public PrintStream stdout() {
		return this.stdout;
	}

	/** @return the stream to install as {@code System.err} */
	public PrintStream stderr() {
		return this.stderr;
	}

	/** @return how many bytes were dropped because the buffer was full */
	public long droppedBytes() {
		return this.dropped.get();
	}

	void write(StdioData.Channel channel, byte[] bytes, int offset, int length) {
		for (int start = offset; start < offset + length; start += MAX_CHUNK) {
			int end = Math.min(offset + length, start + MAX_CHUNK);
			Chunk chunk = new Chunk(channel, Arrays.copyOfRange(bytes, start, end));
			this.lock.lock();
			try {
				while (this.size + chunk.data().length > this.capacity && !this.chunks.isEmpty()) {
					Chunk oldest = this.chunks.removeFirst();
					this.size -= oldest.data().length;
					this.dropped.addAndGet(oldest.data().length);
				}
				this.chunks.addLast(chunk);
				this.size += chunk.data().length;
				this.available.signal();
			}
			finally {
				this.lock.unlock();
			}
		}
	}

	/**
	 * Takes the oldest chunk, waiting for one up to the timeout.
	 * @param timeout how long to wait
	 * @param unit its unit
	 * @return the chunk, or {@code null} if none arrived in time
	 * @throws InterruptedException if interrupted while waiting
	 */
	public Chunk poll(long timeout, TimeUnit unit) throws InterruptedException {
		long nanos = unit.toNanos(timeout);
		this.lock.lock();
		try {
			while (this.chunks.isEmpty()) {
				if (nanos <= 0) {
					return null;
				}
				nanos = this.available.awaitNanos(nanos);
			}
			Chunk chunk = this.chunks.removeFirst();
			this.size -= chunk.data().length;
			return chunk;
		}
		finally {
			this.lock.unlock();
		}
	}

	private final class ChannelStream extends OutputStream {

		private final StdioData.Channel channel;

		ChannelStream(StdioData.Channel channel) {
			this.channel = channel;
		}

		@Override
		public void write(int b) {
			write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) {
			if (length > 0) {
				StdioCapture.this.write(this.channel, bytes, offset, length);
			}
		}

	}

}
