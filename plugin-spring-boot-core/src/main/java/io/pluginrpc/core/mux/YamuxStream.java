package io.pluginrpc.core.mux;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;

/**
 * One yamux stream: a byte stream in each direction with yamux flow control.
 * {@link #input()} blocks until data arrives and returns end-of-stream after the peer's
 * FIN; {@link #output()} blocks while the peer's window is exhausted.
 * {@link #closeWrite()} sends FIN (a half-close, like closing a Go stream);
 * {@link #reset()} sends RST.
 */
public final class YamuxStream implements Closeable {

	private final YamuxSession session;

	private final int id;

	private final boolean opened;

	private final Object lock = new Object();

	private final Object sendLock = new Object();

	/** Chunks received and not yet read, guarded by {@link #lock}. */
	private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();

	private int chunkOffset;

	private int buffered;

	/** How much the peer may still send us before we grant more. */
	private long receiveWindow = YamuxFrame.INITIAL_WINDOW;

	/** How much we may still send the peer. */
	private long sendWindow = YamuxFrame.INITIAL_WINDOW;

	private boolean localClosed;

	private boolean remoteClosed;

	private boolean reset;

	private boolean sessionEnded;

	private final InputStream input = new InputStream() {
		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xFF);
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			return YamuxStream.this.read(b, off, len);
		}

		@Override
		public int available() {
			synchronized (YamuxStream.this.lock) {
				return YamuxStream.this.buffered;
			}
		}

		@Override
		public void close() {
			YamuxStream.this.close();
		}
	};

	private final OutputStream output = new OutputStream() {
		@Override
		public void write(int b) throws IOException {
			write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			YamuxStream.this.write(b, off, len);
		}

		@Override
		public void close() throws IOException {
			closeWrite();
		}
	};

	YamuxStream(YamuxSession session, int id, boolean opened) {
		this.session = session;
		this.id = id;
		this.opened = opened;
	}

	/**
	 * @return the stream id (odd when the client opened it, even for the server)
	 */
	public int id() {
		return this.id;
	}

	/**
	 * @return whether this side opened the stream
	 */
	public boolean isOpenedLocally() {
		return this.opened;
	}

	/**
	 * @return the incoming direction
	 */
	public InputStream input() {
		return this.input;
	}

	/**
	 * @return the outgoing direction; closing it sends FIN
	 */
	public OutputStream output() {
		return this.output;
	}

	private int read(byte[] b, int off, int len) throws IOException {
		if (len == 0) {
			return 0;
		}
		int n = 0;
		long grant;
		synchronized (this.lock) {
			while (this.buffered == 0 && !this.remoteClosed && !this.reset && !this.sessionEnded) {
				try {
					this.lock.wait();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new InterruptedIOException("interrupted while reading yamux stream " + this.id);
				}
			}
			if (this.reset) {
				throw new IOException("yamux stream " + Integer.toUnsignedLong(this.id) + " was reset");
			}
			if (this.buffered == 0) {
				return -1;
			}
			while (n < len && !this.chunks.isEmpty()) {
				byte[] chunk = this.chunks.peekFirst();
				int take = Math.min(len - n, chunk.length - this.chunkOffset);
				System.arraycopy(chunk, this.chunkOffset, b, off + n, take);
				n += take;
				this.chunkOffset += take;
				if (this.chunkOffset == chunk.length) {
					this.chunks.removeFirst();
					this.chunkOffset = 0;
				}
			}
			this.buffered -= n;
			// Grant the peer what was consumed once it is at least half a window, as Go
			// does.
			grant = YamuxFrame.INITIAL_WINDOW - this.buffered - this.receiveWindow;
			if (grant < YamuxFrame.INITIAL_WINDOW / 2 || this.remoteClosed) {
				grant = 0;
			}
			else {
				this.receiveWindow += grant;
			}
		}
		if (grant > 0 && !this.session.isClosed()) {
			try {
				this.session.write(new YamuxFrame(YamuxFrame.WINDOW_UPDATE, 0, this.id, grant), null, 0, 0);
			}
			catch (IOException ex) {
				// The data was read; the session's end shows on the next read.
			}
		}
		return n;
	}

	private void write(byte[] b, int off, int len) throws IOException {
		synchronized (this.sendLock) {
			int written = 0;
			while (written < len) {
				int chunk;
				synchronized (this.lock) {
					while (this.sendWindow == 0 && !this.reset && !this.localClosed && !this.sessionEnded) {
						try {
							this.lock.wait();
						}
						catch (InterruptedException ex) {
							Thread.currentThread().interrupt();
							throw new InterruptedIOException("interrupted while writing yamux stream " + this.id);
						}
					}
					checkWritable();
					chunk = (int) Math.min(Math.min(this.sendWindow, len - written), YamuxSession.MAX_DATA_FRAME);
					this.sendWindow -= chunk;
				}
				this.session.write(new YamuxFrame(YamuxFrame.DATA, 0, this.id, chunk), b, off + written, chunk);
				written += chunk;
			}
		}
	}

	private void checkWritable() throws IOException {
		if (this.reset) {
			throw new IOException("yamux stream " + Integer.toUnsignedLong(this.id) + " was reset");
		}
		if (this.localClosed) {
			throw new IOException("yamux stream " + Integer.toUnsignedLong(this.id) + " is closed for writing");
		}
		if (this.sessionEnded) {
			throw new IOException("the yamux session of stream " + Integer.toUnsignedLong(this.id) + " has ended");
		}
	}

	/**
	 * Half-closes: sends FIN; the peer's data can still be read. Safe to call more than
	 * once.
	 */
	public void closeWrite() {
		boolean forget;
		synchronized (this.lock) {
			if (this.localClosed || this.reset || this.sessionEnded) {
				return;
			}
			this.localClosed = true;
			forget = this.remoteClosed;
			this.lock.notifyAll();
		}
		synchronized (this.sendLock) {
			try {
				this.session.write(new YamuxFrame(YamuxFrame.WINDOW_UPDATE, YamuxFrame.FIN, this.id, 0), null, 0, 0);
			}
			catch (IOException ex) {
				// The session ended: nothing to tell the peer.
			}
		}
		if (forget) {
			this.session.forget(this.id);
		}
	}

	/** Resets the stream: the peer's reads and writes fail. */
	public void reset() {
		synchronized (this.lock) {
			if (this.reset || this.sessionEnded) {
				return;
			}
			this.reset = true;
			this.chunks.clear();
			this.buffered = 0;
			this.lock.notifyAll();
		}
		try {
			this.session.write(new YamuxFrame(YamuxFrame.WINDOW_UPDATE, YamuxFrame.RST, this.id, 0), null, 0, 0);
		}
		catch (IOException ex) {
			// The session ended.
		}
		this.session.forget(this.id);
	}

	/** Same as {@link #closeWrite()}, as closing a Go yamux stream is. */
	@Override
	public void close() {
		closeWrite();
	}

	long receiveWindow() {
		synchronized (this.lock) {
			return this.receiveWindow;
		}
	}

	void received(byte[] data) throws YamuxProtocolException {
		synchronized (this.lock) {
			if (data.length > this.receiveWindow) {
				throw new YamuxProtocolException(
						"stream " + Integer.toUnsignedLong(this.id) + " exceeded its receive window");
			}
			this.receiveWindow -= data.length;
			if (this.reset) {
				return;
			}
			this.chunks.addLast(data);
			this.buffered += data.length;
			this.lock.notifyAll();
		}
	}

	void sendWindowGranted(long delta) {
		synchronized (this.lock) {
			this.sendWindow = Math.min(this.sendWindow + delta, 0xFFFF_FFFFL);
			this.lock.notifyAll();
		}
	}

	void remoteFlags(int flags) {
		boolean forget = false;
		synchronized (this.lock) {
			if ((flags & YamuxFrame.FIN) != 0 && !this.remoteClosed) {
				this.remoteClosed = true;
				forget = this.localClosed;
			}
			if ((flags & YamuxFrame.RST) != 0) {
				this.reset = true;
				forget = true;
			}
			this.lock.notifyAll();
		}
		if (forget) {
			this.session.forget(this.id);
		}
	}

	void sessionEnded() {
		synchronized (this.lock) {
			this.sessionEnded = true;
			this.lock.notifyAll();
		}
	}

	@Override
	public String toString() {
		return "yamux stream " + Integer.toUnsignedLong(this.id) + " of " + this.session.name();
	}

}
