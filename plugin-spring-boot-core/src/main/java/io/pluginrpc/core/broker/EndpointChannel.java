package io.pluginrpc.core.broker;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;

/**
 * A channel to a private multiplexing endpoint that closes the endpoint when the channel
 * shuts down.
 */
final class EndpointChannel extends ManagedChannel {

	private final ManagedChannel delegate;

	private final Runnable closeEndpoint;

	private final AtomicBoolean closed = new AtomicBoolean();

	EndpointChannel(ManagedChannel delegate, Runnable closeEndpoint) {
		this.delegate = delegate;
		this.closeEndpoint = closeEndpoint;
	}

	@Override
	public ManagedChannel shutdown() {
		this.delegate.shutdown();
		// The endpoint can go at once: new connections are no longer made, existing ones
		// are spliced already.
		closeEndpoint();
		return this;
	}

	@Override
	public ManagedChannel shutdownNow() {
		this.delegate.shutdownNow();
		closeEndpoint();
		return this;
	}

	private void closeEndpoint() {
		if (this.closed.compareAndSet(false, true)) {
			this.closeEndpoint.run();
		}
	}

	@Override
	public boolean isShutdown() {
		return this.delegate.isShutdown();
	}

	@Override
	public boolean isTerminated() {
		return this.delegate.isTerminated();
	}

	@Override
	public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
		return this.delegate.awaitTermination(timeout, unit);
	}

	@Override
	public ConnectivityState getState(boolean requestConnection) {
		return this.delegate.getState(requestConnection);
	}

	@Override
	public void notifyWhenStateChanged(ConnectivityState source, Runnable callback) {
		this.delegate.notifyWhenStateChanged(source, callback);
	}

	@Override
	public void resetConnectBackoff() {
		this.delegate.resetConnectBackoff();
	}

	@Override
	public void enterIdle() {
		this.delegate.enterIdle();
	}

	@Override
	public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
		return this.delegate.newCall(method, options);
	}

	@Override
	public String authority() {
		return this.delegate.authority();
	}

}
