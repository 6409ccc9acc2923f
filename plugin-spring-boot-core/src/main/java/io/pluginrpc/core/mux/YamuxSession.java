package io.pluginrpc.core.mux;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pluginrpc.core.transport.Transports;

/**
 * A yamux session over one connection, with blocking I/O: one reader thread demultiplexes
 * frames into {@link YamuxStream}s; writers write whole frames under one lock. Frames the
 * reader itself must answer (ping acknowledgements, refusals) go through a separate
 * thread so that the reader never blocks on a write. Interoperates with hashicorp/yamux's
 * defaults (256 KiB windows, accept backlog 256).
 */
public final class YamuxSession implements Closeable {

	/**
	 * Streams the peer may open before we accept them; more are refused with RST, as Go
	 * does.
	 */
	static final int ACCEPT_BACKLOG = 256;

	/**
	 * Largest data frame we send; windows are 256 KiB, smaller frames keep streams
	 * interleaved.
	 */
	static final int MAX_DATA_FRAME = 64 * 1024;

	private static final Logger logger = LoggerFactory.getLogger(YamuxSession.class);

	private static final YamuxStream END_OF_ACCEPT = new YamuxStream(null, 0, false);

	private final String name;

	private final InputStream in;

	private final OutputStream out;

	private final Closeable connection;

	private final Object writeLock = new Object();

	private final Map<Integer, YamuxStream> streams = new ConcurrentHashMap<>();

	private final BlockingQueue<YamuxStream> accepted = new LinkedBlockingQueue<>();

	private final AtomicInteger nextId;

	private final ExecutorService control;

	private final CountDownLatch ended = new CountDownLatch(1);

	private volatile IOException closeCause;

	private volatile boolean closed;

	private volatile boolean remoteGoAway;

	private volatile Thread controlThread;

	private YamuxSession(String name, InputStream in, OutputStream out, Closeable connection, boolean client) {
		this.name = name;
		this.in = new BufferedInputStream(in, 64 * 1024);
		this.out = new BufferedOutputStream(out, MAX_DATA_FRAME + YamuxFrame.HEADER_SIZE);
		this.connection = connection;
		this.nextId = new AtomicInteger(client ? 1 : 2);
		ThreadFactory controlThreads = Transports.daemonThreads("yamux-control-" + name);
		this.control = Executors.newSingleThreadExecutor((task) -> {
			Thread thread = controlThreads.newThread(task);
			this.controlThread = thread;
			return thread;
		});
		Thread reader = Transports.daemonThreads("yamux-reader-" + name).newThread(this::readLoop);
		reader.start();
	}

	/**
	 * Starts the client side (odd stream ids): the side that dialled, a go-plugin host.
	 * @param name what log lines and errors call this session, e.g. {@code plugin 'kv'}
	 * @param in the connection's input
	 * @param out the connection's output
	 * @param connection closed when the session ends
	 * @return the running session
	 */
	public static YamuxSession client(String name, InputStream in, OutputStream out, Closeable connection) {
		return new YamuxSession(name, in, out, connection, true);
	}

	/**
	 * Starts the server side (even stream ids): the side that accepted, a go-plugin
	 * plugin.
	 * @param name what log lines and errors call this session
	 * @param in the connection's input
	 * @param out the connection's output
	 * @param connection closed when the session ends
	 * @return the running session
	 */
	public static YamuxSession server(String name, InputStream in, OutputStream out, Closeable connection) {
		return new YamuxSession(name, in, out, connection, false);
	}

	/**
	 * Opens a stream; data may be written at once, before the peer acknowledges it.
	 * @return the stream
	 * @throws IOException if the session is closed or the peer said go-away
	 */
	public YamuxStream open() throws IOException {
		checkOpen();
		if (this.remoteGoAway) {
			throw new IOException(this.name + ": the peer does not accept new yamux streams (go-away)");
		}
		int id = this.nextId.getAndAdd(2);
		if (id <= 0) {
			// 2^31 streams per session are more than a plugin's lifetime needs; past them
			// ids would wrap.
			throw new IOException(this.name + ": yamux stream ids are exhausted");
		}
		YamuxStream stream = new YamuxStream(this, id, true);
		this.streams.put(id, stream);
		write(new YamuxFrame(YamuxFrame.WINDOW_UPDATE, YamuxFrame.SYN, id, 0), null, 0, 0);
		return stream;
	}

	/**
	 * Waits for the peer's next stream and acknowledges it.
	 * @return the stream
	 * @throws IOException once the session has ended (the cause is {@link #closeCause()})
	 * @throws InterruptedException if interrupted while waiting
	 */
	public YamuxStream accept() throws IOException, InterruptedException {
		YamuxStream stream = this.accepted.take();
		if (stream == END_OF_ACCEPT) {
			this.accepted.offer(END_OF_ACCEPT);
			throw endedException();
		}
		write(new YamuxFrame(YamuxFrame.WINDOW_UPDATE, YamuxFrame.ACK, stream.id(), 0), null, 0, 0);
		return stream;
	}

	/**
	 * @return whether the session has ended
	 */
	public boolean isClosed() {
		return this.closed;
	}

	/**
	 * @return why the session ended (an {@link EOFException} when the peer hung up), or
	 * {@code null}
	 */
	public IOException closeCause() {
		return this.closeCause;
	}

	/**
	 * Waits until the session has ended.
	 * @throws InterruptedException if interrupted
	 */
	public void awaitClosed() throws InterruptedException {
		this.ended.await();
	}

	/**
	 * @return the name given at start
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Ends the session: closes the connection and every stream. Safe to call more than
	 * once.
	 */
	@Override
	public void close() {
		end(null);
	}

	private void readLoop() {
		IOException cause;
		try {
			while (true) {
				YamuxFrame frame = YamuxFrame.read(this.in);
				if (frame == null) {
					throw new EOFException(this.name + ": the peer closed the yamux connection");
				}
				switch (frame.type()) {
					case YamuxFrame.DATA, YamuxFrame.WINDOW_UPDATE -> onStreamFrame(frame);
					case YamuxFrame.PING -> onPing(frame);
					default -> onGoAway(frame);
				}
			}
		}
		catch (YamuxProtocolException ex) {
			sendAsync(new YamuxFrame(YamuxFrame.GO_AWAY, 0, 0, YamuxFrame.GO_AWAY_PROTOCOL_ERROR));
			cause = new YamuxProtocolException(prefixed(ex.getMessage()));
		}
		catch (IOException ex) {
			cause = ex;
		}
		catch (RuntimeException ex) {
			cause = new IOException(this.name + ": yamux reader failed: " + ex, ex);
		}
		end(cause);
	}

	private void onStreamFrame(YamuxFrame frame) throws IOException {
		int id = frame.streamId();
		if (frame.has(YamuxFrame.SYN)) {
			incoming(id);
		}
		YamuxStream stream = this.streams.get(id);
		if (stream == null) {
			// Most likely a stream we reset or closed; skip its data like Go does.
			if (frame.type() == YamuxFrame.DATA && frame.length() > 0) {
				this.in.skipNBytes(frame.length());
			}
			return;
		}
		if (frame.type() == YamuxFrame.DATA && frame.length() > 0) {
			if (frame.length() > stream.receiveWindow()) {
				throw new YamuxProtocolException("stream " + frame.unsignedStreamId() + " sent " + frame.length()
						+ " bytes, but its receive window has only " + stream.receiveWindow() + " left");
			}
			byte[] data = this.in.readNBytes((int) frame.length());
			if (data.length < frame.length()) {
				throw new EOFException(
						prefixed("the connection ended inside a data frame of stream " + frame.unsignedStreamId()));
			}
			stream.received(data);
		}
		else if (frame.type() == YamuxFrame.WINDOW_UPDATE) {
			stream.sendWindowGranted(frame.length());
		}
		stream.remoteFlags(frame.flags());
	}

	private void incoming(int id) throws YamuxProtocolException {
		if (id == 0) {
			throw new YamuxProtocolException("a stream may not open with id 0 (the session's id)");
		}
		if (this.streams.containsKey(id)) {
			throw new YamuxProtocolException("the peer opened stream " + Integer.toUnsignedLong(id) + " twice");
		}
		if (this.closed || this.accepted.size() >= ACCEPT_BACKLOG) {
			logger.warn("{}: refusing yamux stream {} ({})", this.name, Integer.toUnsignedLong(id),
					this.closed ? "closing" : "accept backlog full");
			sendAsync(new YamuxFrame(YamuxFrame.WINDOW_UPDATE, YamuxFrame.RST, id, 0));
			return;
		}
		YamuxStream stream = new YamuxStream(this, id, false);
		this.streams.put(id, stream);
		this.accepted.add(stream);
	}

	private void onPing(YamuxFrame frame) {
		if (frame.has(YamuxFrame.SYN)) {
			sendAsync(new YamuxFrame(YamuxFrame.PING, YamuxFrame.ACK, 0, frame.length()));
		}
		// We send no pings of our own, so an acknowledgement is nothing to us.
	}

	private void onGoAway(YamuxFrame frame) throws IOException {
		if (frame.length() == YamuxFrame.GO_AWAY_NORMAL) {
			this.remoteGoAway = true;
			return;
		}
		String what = (frame.length() == YamuxFrame.GO_AWAY_PROTOCOL_ERROR) ? "a protocol error"
				: (frame.length() == YamuxFrame.GO_AWAY_INTERNAL_ERROR) ? "an internal error"
						: "unknown code " + frame.length();
		throw new IOException(prefixed("the peer ended the yamux session with go-away (" + what + ")"));
	}

	/**
	 * Writes one frame with an optional payload, atomically with respect to other frames.
	 */
	void write(YamuxFrame header, byte[] data, int offset, int length) throws IOException {
		checkOpen();
		try {
			synchronized (this.writeLock) {
				this.out.write(header.encode());
				if (length > 0) {
					this.out.write(data, offset, length);
				}
				this.out.flush();
			}
		}
		catch (IOException ex) {
			end(ex);
			throw ex;
		}
	}

	private void sendAsync(YamuxFrame frame) {
		try {
			this.control.execute(() -> {
				try {
					if (!this.closed || frame.type() == YamuxFrame.GO_AWAY) {
						synchronized (this.writeLock) {
							this.out.write(frame.encode());
							this.out.flush();
						}
					}
				}
				catch (IOException ex) {
					end(ex);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// Session already ended.
		}
	}

	void forget(int id) {
		this.streams.remove(id);
	}

	private void checkOpen() throws IOException {
		if (this.closed) {
			throw endedException();
		}
	}

	private IOException endedException() {
		IOException cause = this.closeCause;
		return new IOException(
				this.name + ": the yamux session has ended" + ((cause != null) ? ": " + cause.getMessage() : ""),
				cause);
	}

	private String prefixed(String message) {
		return message.startsWith(this.name) ? message : this.name + ": " + message;
	}

	private void end(IOException cause) {
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.closeCause = cause;
			this.closed = true;
		}
		if (cause != null && !(cause instanceof EOFException)) {
			logger.debug("{}: yamux session ended: {}", this.name, cause.getMessage());
		}
		// Let a pending go-away (protocol error) go out before the connection closes.
		this.control.shutdown();
		if (Thread.currentThread() != this.controlThread) {
			try {
				this.control.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		try {
			this.connection.close();
		}
		catch (IOException ex) {
			// Nothing left to do with it.
		}
		for (YamuxStream stream : new ArrayList<>(this.streams.values())) {
			stream.sessionEnded();
		}
		this.streams.clear();
		this.accepted.offer(END_OF_ACCEPT);
		this.ended.countDown();
	}

}
