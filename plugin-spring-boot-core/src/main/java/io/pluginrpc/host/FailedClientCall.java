package io.pluginrpc.host;

import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;

/**
 * A call that fails with a given status as soon as it starts, without reaching any
 * server: what a plugin's stubs get when the call cannot be made at all (plugin not
 * connected, service not in the negotiated version).
 *
 * @param <Q> request type
 * @param <R> response type
 */
public final class FailedClientCall<Q, R> extends ClientCall<Q, R> {

	private final Status status;

	/**
	 * @param status why the call fails
	 */
	public FailedClientCall(Status status) {
		this.status = status;
	}

	@Override
	public void start(Listener<R> listener, Metadata headers) {
		listener.onClose(this.status, new Metadata());
	}

	@Override
	public void request(int numMessages) {
	}

	@Override
	public void cancel(String message, Throwable cause) {
	}

	@Override
	public void halfClose() {
	}

	@Override
	public void sendMessage(Q message) {
	}

}
