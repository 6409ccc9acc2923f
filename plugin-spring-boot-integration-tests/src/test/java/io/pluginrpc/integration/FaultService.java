package io.pluginrpc.integration;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;

/**
 * A test-only gRPC service with raw byte messages, so fault tests need no generated code:
 * a client stream ({@code Upload}, which the samples lack), an echo, and two faults a
 * plugin can inflict on itself. Both {@link FaultyPlugin} and the tests use these
 * descriptors.
 */
final class FaultService {

	static final String NAME = "fault.Fault";

	private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
		@Override
		public InputStream stream(byte[] value) {
			return new ByteArrayInputStream(value);
		}

		@Override
		public byte[] parse(InputStream stream) {
			try {
				return stream.readAllBytes();
			}
			catch (IOException ex) {
				throw Status.INTERNAL.withCause(ex).asRuntimeException();
			}
		}
	};

	/**
	 * Counts the messages it receives and answers the count when the caller half-closes.
	 */
	static final MethodDescriptor<byte[], byte[]> UPLOAD = method("Upload",
			MethodDescriptor.MethodType.CLIENT_STREAMING);

	/**
	 * How many Upload messages (or, in {@link StubbornPlugin}, Get calls) the plugin
	 * received so far, over all calls: tells the caller its call is open at the plugin (a
	 * server's headers alone are not flushed before its first message).
	 */
	static final MethodDescriptor<byte[], byte[]> RECEIVED = method("Received", MethodDescriptor.MethodType.UNARY);

	static final MethodDescriptor<byte[], byte[]> ECHO = method("Echo", MethodDescriptor.MethodType.UNARY);

	/** The plugin stops accepting connections; those it has keep working. */
	static final MethodDescriptor<byte[], byte[]> CLOSE_LISTENER = method("CloseListener",
			MethodDescriptor.MethodType.UNARY);

	/** The plugin drops every connection it has, 300 ms after answering. */
	static final MethodDescriptor<byte[], byte[]> DROP_CONNECTIONS = method("DropConnections",
			MethodDescriptor.MethodType.UNARY);

	private static final AtomicInteger received = new AtomicInteger();

	private FaultService() {
	}

	/** Counts a call that reached the plugin, for {@link #RECEIVED}. */
	static void noteReceived() {
		received.incrementAndGet();
	}

	static ServerServiceDefinition definition(Runnable closeListener, Runnable dropConnections) {
		return ServerServiceDefinition.builder(NAME)
			.addMethod(UPLOAD, FaultService::upload)
			.addMethod(RECEIVED, ServerCalls.asyncUnaryCall((request, response) -> {
				response.onNext(Integer.toString(received.get()).getBytes(StandardCharsets.US_ASCII));
				response.onCompleted();
			}))
			.addMethod(ECHO, ServerCalls.asyncUnaryCall((request, response) -> {
				response.onNext(request);
				response.onCompleted();
			}))
			.addMethod(CLOSE_LISTENER, ServerCalls.asyncUnaryCall((request, response) -> {
				closeListener.run();
				response.onNext(request);
				response.onCompleted();
			}))
			.addMethod(DROP_CONNECTIONS, ServerCalls.asyncUnaryCall((request, response) -> {
				response.onNext(request);
				response.onCompleted();
				// Later, so the answer gets through first.
				CompletableFuture.runAsync(dropConnections,
						CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));
			}))
			.build();
	}

	private static ServerCall.Listener<byte[]> upload(ServerCall<byte[], byte[]> call, Metadata headers) {
		call.request(1);
		return new ServerCall.Listener<>() {
			private int count;

			@Override
			public void onMessage(byte[] message) {
				this.count++;
				received.incrementAndGet();
				call.request(1);
			}

			@Override
			public void onHalfClose() {
				call.sendHeaders(new Metadata());
				call.sendMessage(Integer.toString(this.count).getBytes(StandardCharsets.US_ASCII));
				call.close(Status.OK, new Metadata());
			}
		};
	}

	private static MethodDescriptor<byte[], byte[]> method(String name, MethodDescriptor.MethodType type) {
		return MethodDescriptor.<byte[], byte[]>newBuilder()
			.setType(type)
			.setFullMethodName(MethodDescriptor.generateFullMethodName(NAME, name))
			.setRequestMarshaller(BYTES)
			.setResponseMarshaller(BYTES)
			.build();
	}

}
