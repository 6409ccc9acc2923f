package io.pluginrpc.plugin.stdio;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import io.pluginrpc.proto.plugin.GRPCStdioGrpc;
import io.pluginrpc.proto.plugin.StdioData;

/**
 * {@code plugin.GRPCStdio/StreamStdio}: streams the captured output to the one host that asks, as long
 * as it keeps the call open. Respects gRPC flow control: while the host is not ready, output waits in
 * the bounded {@link StdioCapture} (which drops the oldest) instead of piling up in the transport.
 */
public final class GrpcStdioService extends GRPCStdioGrpc.GRPCStdioImplBase implements AutoCloseable {

	private static final long POLL_MILLIS = 200;

	private final StdioCapture capture;

	private final AtomicBoolean streaming = new AtomicBoolean();

	private volatile boolean closed;

	public GrpcStdioService(StdioCapture capture) {
		this.capture = capture;
	}

	@Override
	public void streamStdio(Empty request, StreamObserver<StdioData> responseObserver) {
		if (!this.streaming.compareAndSet(false, true)) {
			responseObserver.onError(Status.FAILED_PRECONDITION
				.withDescription("plugin stdio is already being streamed to another caller; go-plugin hosts call StreamStdio once")
				.asRuntimeException());
			return;
		}
		ServerCallStreamObserver<StdioData> call = (ServerCallStreamObserver<StdioData>) responseObserver;
		Object ready = new Object();
		AtomicBoolean cancelled = new AtomicBoolean();
		call.setOnCancelHandler(() -> cancelled.set(true));
		call.setOnReadyHandler(() -> {
			synchronized (ready) {
				ready.notifyAll();
			}
		});
		Thread pump = new Thread(() -> pump(call, ready, cancelled), "plugin-stdio");
		pump.setDaemon(true);
		pump.start();
	}

	private void pump(ServerCallStreamObserver<StdioData> call, Object ready, AtomicBoolean cancelled) {
		try {
			while (!cancelled.get() && !this.closed) {
				if (!call.isReady()) {
					synchronized (ready) {
						ready.wait(POLL_MILLIS);
					}
					continue;
				}
				StdioCapture.Chunk chunk = this.capture.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
				if (chunk != null) {
					call.onNext(StdioData.newBuilder()
						.setChannel(chunk.channel())
						.setData(ByteString.copyFrom(chunk.data()))
						.build());
				}
			}
			if (!cancelled.get()) {
				call.onCompleted();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			// The call was cancelled between the check and the send: the host is gone.
		}
		finally {
			this.streaming.set(false);
		}
	}

	/** Ends the stream, if any, so the host sees the plugin's output end cleanly. */
	@Override
	public void close() {
		this.closed = true;
	}

}
