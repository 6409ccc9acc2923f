package io.pluginrpc.plugin;

import java.util.concurrent.atomic.AtomicBoolean;

import io.grpc.stub.StreamObserver;

import io.pluginrpc.proto.plugin.Empty;
import io.pluginrpc.proto.plugin.GRPCControllerGrpc;

/**
 * {@code plugin.GRPCController/Shutdown}: replies at once, then runs the shutdown action
 * on its own thread. Unlike go-plugin (which hard-stops the server inside the call, so
 * the reply may be lost), the host always gets its answer and in-flight calls get a grace
 * period.
 */
public final class GrpcControllerService extends GRPCControllerGrpc.GRPCControllerImplBase {

	private final Runnable shutdown;

	private final AtomicBoolean requested = new AtomicBoolean();

	/**
	 * @param shutdown stops the plugin; runs once, on a new non-daemon thread
	 */
	public GrpcControllerService(Runnable shutdown) {
		this.shutdown = shutdown;
	}

	@Override
	public void shutdown(Empty request, StreamObserver<Empty> responseObserver) {
		responseObserver.onNext(Empty.getDefaultInstance());
		responseObserver.onCompleted();
		if (this.requested.compareAndSet(false, true)) {
			Thread thread = new Thread(this.shutdown, "plugin-shutdown");
			thread.start();
		}
	}

}
