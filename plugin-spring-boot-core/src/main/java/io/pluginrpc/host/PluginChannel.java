package io.pluginrpc.host;

import java.util.function.Supplier;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;

/**
 * A channel that always sends calls to the plugin's current connection. Stubs built on it
 * survive plugin restarts; while there is no connection, calls fail at once with
 * UNAVAILABLE naming the plugin and its state, instead of hanging.
 */
public final class PluginChannel extends Channel {

	private final String name;

	private final Supplier<ManagedChannel> current;

	private final Supplier<String> state;

	private final Supplier<String> address;

	PluginChannel(String name, Supplier<ManagedChannel> current, Supplier<String> state) {
		this(name, current, state, () -> null);
	}

	/**
	 * @param address the address the current connection dials, or {@code null}: named
	 * when it cannot be reached
	 */
	PluginChannel(String name, Supplier<ManagedChannel> current, Supplier<String> state, Supplier<String> address) {
		this.name = name;
		this.current = current;
		this.state = state;
		this.address = address;
	}

	@Override
	public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
		ManagedChannel channel = this.current.get();
		if (channel == null) {
			return new FailedClientCall<>(
					Status.UNAVAILABLE.withDescription("Plugin '" + this.name + "' is not connected (state "
							+ this.state.get() + "); cannot call " + method.getFullMethodName()));
		}
		return new NamingCall<>(channel.newCall(method, options));
	}

	/**
	 * A call whose failures say which plugin failed: when a plugin dies mid-call,
	 * grpc-java reports a bare transport error; the caller should read the plugin's name
	 * and state, and why a connection could not be made (grpc-java says "io exception"
	 * and keeps the reason in the cause).
	 */
	private final class NamingCall<Q, R> extends ForwardingClientCall.SimpleForwardingClientCall<Q, R> {

		NamingCall(ClientCall<Q, R> delegate) {
			super(delegate);
		}

		@Override
		public void start(Listener<R> listener, Metadata headers) {
			super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
				@Override
				public void onClose(Status status, Metadata trailers) {
					if (status.getCode() == Status.Code.UNAVAILABLE || isLostConnection(status)) {
						status = Status.UNAVAILABLE.withCause(status.getCause())
							.withDescription("Plugin '" + PluginChannel.this.name + "' is unavailable (state "
									+ PluginChannel.this.state.get() + "): " + StatusText.description(status)
									+ missingSocket(status));
					}
					super.onClose(status, trailers);
				}
			}, headers);
		}

	}

	/**
	 * Netty reports a Unix socket path that does not exist as a FileNotFoundException
	 * without a message.
	 */
	private String missingSocket(Status status) {
		String address = this.address.get();
		for (Throwable cause = status.getCause(); address != null
				&& cause != null; cause = (cause.getCause() == cause) ? null : cause.getCause()) {
			if (cause instanceof java.io.FileNotFoundException || cause instanceof java.nio.file.NoSuchFileException) {
				return "; the plugin's socket " + address + " does not exist (deleted?)";
			}
		}
		return "";
	}

	/**
	 * grpc-netty reports a write that finds the connection already closed as UNKNOWN
	 * "channel closed" (a race when a plugin dies mid-call); for the caller that is the
	 * plugin being unavailable.
	 */
	private static boolean isLostConnection(Status status) {
		if (status.getCode() != Status.Code.UNKNOWN) {
			return false;
		}
		for (Throwable cause = status.getCause(); cause != null; cause = (cause.getCause() == cause) ? null
				: cause.getCause()) {
			if (cause instanceof java.nio.channels.ClosedChannelException) {
				return true;
			}
		}
		return false;
	}

	@Override
	public String authority() {
		return "localhost";
	}

}
