package io.pluginrpc.plugin.stdio;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.pluginrpc.proto.plugin.StdioData;

/**
 * Holds what the plugin writes to {@code System.out}/{@code System.err} after the
 * handshake until the host's GRPCStdio stream takes it: chunks of at most
 * {@value #MAX_CHUNK} bytes, like go-plugin, tagged with their channel, in a bounded
 * buffer. A writer never blocks and never sees an exception: when the host reads too
 * slowly, or never (go-plugin 1.0.1 hosts do not call StreamStdio), the oldest output is
 * dropped and counted.
 */
public final class StdioCapture {

	/** go-plugin sends stdio in chunks of at most this many bytes. */
	public static final int MAX_CHUNK = 1024;

	/** The default bound, 1 MiB. */
	public static final int DEFAULT_CAPACITY = 1024 * 1024;

	/**
	 * What a chunk costs beyond its bytes (object headers, array, queue slot), counted
	 * against the capacity so that a flood of one-byte writes cannot hold far more memory
	 * than the bound says.
	 */
	static final int CHUNK_OVERHEAD = 64;

	/**
	 * One piece of output and the stream it was written to.
	 *
	 * @param channel {@code STDOUT} or {@code STDERR}
	 * @param data 1 to {@value #MAX_CHUNK} bytes
	 */
	public record Chunk(StdioData.Channel channel, byte[] data) {
	}

	private final int capacity;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	// Guarded by lock.
	private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();

	private long cost;

	private long buffered;

	private long dropped;

	private long wakeUps;

	private final PrintStream stdout;

	private final PrintStream stderr;

	/** Captures with the {@linkplain #DEFAULT_CAPACITY default bound}. */
	public StdioCapture() {
		this(DEFAULT_CAPACITY);
	}

	/**
	 * @param capacity how many bytes to keep at most, bookkeeping included (at least
	 * {@value #MAX_CHUNK}); the newest chunk is always kept
	 */
	public StdioCapture(int capacity) {
		if (capacity < MAX_CHUNK) {
			throw new IllegalArgumentException(
					"capacity must be at least " + MAX_CHUNK + " bytes, but was " + capacity);
		}
		this.capacity = capacity;
		// Autoflush: a print reaches the buffer at once instead of waiting in the
		// PrintStream.
		this.stdout = new PrintStream(new ChannelStream(StdioData.Channel.STDOUT), true, StandardCharsets.UTF_8);
		this.stderr = new PrintStream(new ChannelStream(StdioData.Channel.STDERR), true, StandardCharsets.UTF_8);
	}

	/**
	 * @return the stream to install as {@code System.out}
	 */
	public PrintStream stdout() {
		return this.stdout;
	}

	/**
	 * @return the stream to install as {@code System.err}
	 */
	public PrintStream stderr() {
		return this.stderr;
	}

	/**
	 * @return how many bytes were dropped so far because the buffer was full
	 */
	public long droppedBytes() {
		this.lock.lock();
		try {
			return this.dropped;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * @return how many written bytes wait for the host
	 */
	public long bufferedBytes() {
		this.lock.lock();
		try {
			return this.buffered;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * @return the bound in bytes
	 */
	public int capacity() {
		return this.capacity;
	}

	void write(StdioData.Channel channel, byte[] bytes, int offset, int length) {
		this.lock.lock();
		try {
			// One lock for the whole write: its chunks stay together even with several
			// writing threads.
			int start = offset;
			int end = offset + length;
			Chunk last = this.chunks.peekLast();
			if (last != null && last.channel() == channel && last.data().length < MAX_CHUNK) {
				// Top up the newest chunk: many small prints must not cost a chunk each.
				int added = Math.min(MAX_CHUNK - last.data().length, length);
				byte[] merged = Arrays.copyOf(last.data(), last.data().length + added);
				System.arraycopy(bytes, start, merged, last.data().length, added);
				this.chunks.removeLast();
				this.chunks.addLast(new Chunk(channel, merged));
				this.cost += added;
				this.buffered += added;
				start += added;
			}
			while (start < end) {
				int size = Math.min(MAX_CHUNK, end - start);
				this.chunks.addLast(new Chunk(channel, Arrays.copyOfRange(bytes, start, start + size)));
				this.cost += size + CHUNK_OVERHEAD;
				this.buffered += size;
				start += size;
			}
			while (this.cost > this.capacity && this.chunks.size() > 1) {
				Chunk oldest = this.chunks.removeFirst();
				this.cost -= oldest.data().length + CHUNK_OVERHEAD;
				this.buffered -= oldest.data().length;
				this.dropped += oldest.data().length;
			}
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Takes the oldest chunk, waiting for one up to the timeout or until
	 * {@link #wakeUp()}.
	 * @param timeout how long to wait at most
	 * @param unit its unit
	 * @return the chunk, or {@code null} if none arrived in time or a waiter was woken up
	 * @throws InterruptedException if interrupted while waiting
	 */
	public Chunk poll(long timeout, TimeUnit unit) throws InterruptedException {
		long nanos = unit.toNanos(timeout);
		this.lock.lock();
		try {
			long wakeUpsBefore = this.wakeUps;
			while (this.chunks.isEmpty()) {
				if (nanos <= 0 || this.wakeUps != wakeUpsBefore) {
					return null;
				}
				nanos = this.changed.awaitNanos(nanos);
			}
			Chunk chunk = this.chunks.removeFirst();
			this.cost -= chunk.data().length + CHUNK_OVERHEAD;
			this.buffered -= chunk.data().length;
			return chunk;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Makes every {@link #poll} that is waiting return now, so its caller can notice it
	 * should stop.
	 */
	void wakeUp() {
		this.lock.lock();
		try {
			this.wakeUps++;
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * The sink of one channel; never throws, never blocks beyond the short buffer lock.
	 */
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
			if (bytes == null || offset < 0 || length <= 0 || offset > bytes.length - length) {
				// Empty writes make no chunk; bad arguments are ignored rather than
				// thrown at a print.
				return;
			}
			StdioCapture.this.write(this.channel, bytes, offset, length);
		}

	}

}
