package io.pluginrpc.plugin.stdio;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import io.pluginrpc.proto.plugin.GRPCStdioGrpc;
import io.pluginrpc.proto.plugin.StdioData;

/**
 * {@code plugin.GRPCStdio/StreamStdio}: streams the {@link StdioCapture} to the one host
 * that asks, as long as it keeps the call open. Respects gRPC flow control: while the
 * host is not ready, output waits in the bounded capture (which drops the oldest) instead
 * of piling up in the transport. Each stream is fed by one daemon thread,
 * {@code plugin-stdio}.
 */
public final class GrpcStdioService extends GRPCStdioGrpc.GRPCStdioImplBase implements AutoCloseable {

	/**
	 * The longest a pump waits for data or readiness before looking again. Every event
	 * that matters wakes it earlier; this only bounds the cost of a missed signal.
	 */
	private static final long WAIT_MILLIS = 1000;

	private final StdioCapture capture;

	private final AtomicReference<Pump> current = new AtomicReference<>();

	private volatile boolean closed;

	/**
	 * @param capture the output to stream
	 */
	public GrpcStdioService(StdioCapture capture) {
		this.capture = capture;
	}

	@Override
	public void streamStdio(Empty request, StreamObserver<StdioData> responseObserver) {
		ServerCallStreamObserver<StdioData> call = (ServerCallStreamObserver<StdioData>) responseObserver;
		if (this.closed) {
			// The plugin is stopping: there is nothing more to stream.
			call.onCompleted();
			return;
		}
		Pump pump = new Pump(call);
		if (!this.current.compareAndSet(null, pump)) {
			// Two readers would each get part of the output; go-plugin hosts call
			// StreamStdio once.
			call.onError(Status.FAILED_PRECONDITION
				.withDescription("plugin stdio is already being streamed to another caller; "
						+ "go-plugin hosts call StreamStdio once per plugin process")
				.asRuntimeException());
			return;
		}
		// Handlers must be set before this method returns.
		call.setOnCancelHandler(pump::stop);
		call.setOnReadyHandler(pump::signalReady);
		Thread thread = new Thread(pump, "plugin-stdio");
		thread.setDaemon(true);
		thread.start();
		if (this.closed) {
			// close() ran between the check above and the publication of this pump.
			pump.signal();
		}
	}

	/**
	 * @return whether a host is reading the stream right now
	 */
	public boolean isStreaming() {
		return this.current.get() != null;
	}

	/**
	 * Ends the stream, if any: what is buffered is still sent as far as flow control
	 * allows without waiting, then the host sees the stream complete. Later calls
	 * complete at once.
	 */
	@Override
	public void close() {
		this.closed = true;
		Pump pump = this.current.get();
		if (pump != null) {
			pump.signal();
		}
	}

	/** Moves chunks from the capture to one call, on its own thread. */
	private final class Pump implements Runnable {

		private final ServerCallStreamObserver<StdioData> call;

		private final ReentrantLock lock = new ReentrantLock();

		private final Condition readyOrStopped = this.lock.newCondition();

		private volatile boolean cancelled;

		Pump(ServerCallStreamObserver<StdioData> call) {
			this.call = call;
		}

		@Override
		public void run() {
			try {
				while (!this.cancelled && !GrpcStdioService.this.closed) {
					if (!awaitReady()) {
						continue;
					}
					StdioCapture.Chunk chunk = GrpcStdioService.this.capture.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
					if (chunk != null) {
						send(chunk);
					}
				}
				if (!this.cancelled) {
					finish();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (RuntimeException ex) {
				// The call failed under us (cancelled between the check and the send):
				// the host is gone.
			}
			finally {
				GrpcStdioService.this.current.compareAndSet(this, null);
			}
		}

		/**
		 * On close: send what is buffered while the transport takes it, then complete.
		 */
		private void finish() throws InterruptedException {
			StdioCapture.Chunk chunk;
			while (!this.cancelled && this.call.isReady()
					&& (chunk = GrpcStdioService.this.capture.poll(0, TimeUnit.MILLISECONDS)) != null) {
				send(chunk);
			}
			if (!this.cancelled) {
				this.call.onCompleted();
			}
		}

		private void send(StdioCapture.Chunk chunk) {
			this.call.onNext(StdioData.newBuilder()
				.setChannel(chunk.channel())
				.setData(ByteString.copyFrom(chunk.data()))
				.build());
		}

		/**
		 * @return whether the call is ready; if not, waits for readiness (or a stop)
		 * first
		 */
		private boolean awaitReady() throws InterruptedException {
			this.lock.lock();
			try {
				// Checked under the lock the ready handler signals under, so no signal is
				// missed.
				if (this.call.isReady()) {
					return true;
				}
				if (!this.cancelled && !GrpcStdioService.this.closed) {
					this.readyOrStopped.await(WAIT_MILLIS, TimeUnit.MILLISECONDS);
				}
				return false;
			}
			finally {
				this.lock.unlock();
			}
		}

		/** Wakes the pump if it waits for readiness. */
		void signalReady() {
			this.lock.lock();
			try {
				this.readyOrStopped.signalAll();
			}
			finally {
				this.lock.unlock();
			}
		}

		/**
		 * Wakes the pump wherever it waits, for readiness or for data, so it sees that it
		 * should stop.
		 */
		void signal() {
			signalReady();
			GrpcStdioService.this.capture.wakeUp();
		}

		void stop() {
			this.cancelled = true;
			signal();
		}

	}

}
