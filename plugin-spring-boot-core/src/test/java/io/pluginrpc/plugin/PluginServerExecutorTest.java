package io.pluginrpc.plugin;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Metadata;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import org.junit.jupiter.api.Test;

import io.pluginrpc.core.handshake.HandshakeLine;
import io.pluginrpc.core.transport.Transports;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a real plugin server runs a call: on grpc-java's executor by default, on the
 * event loop thread that read it with {@link PluginServer#setDirectExecutor(boolean)};
 * interceptors apply either way.
 */
class PluginServerExecutorTest {

	private static final MethodDescriptor<String, String> ECHO = MethodDescriptor.<String, String>newBuilder()
		.setType(MethodDescriptor.MethodType.UNARY)
		.setFullMethodName("test.Echo/Echo")
		.setRequestMarshaller(new Utf8())
		.setResponseMarshaller(new Utf8())
		.build();

	@Test
	void callsRunOnGrpcsExecutorByDefault() throws Exception {
		Served served = serve(false);
		assertThat(served.handlerThread()).doesNotStartWith("plugin-rpc-");
		assertThat(served.interceptorThread()).isEqualTo(served.handlerThread());
		assertThat(served.answer()).isEqualTo("echo hello");
	}

	@Test
	void withDirectExecutorCallsRunOnTheEventLoopAndInterceptorsStillApply() throws Exception {
		Served served = serve(true);
		assertThat(served.handlerThread()).startsWith("plugin-rpc-");
		assertThat(served.interceptorThread()).isEqualTo(served.handlerThread());
		assertThat(served.answer()).isEqualTo("echo hello");
	}

	private record Served(String answer, String handlerThread, String interceptorThread) {
	}

	private Served serve(boolean direct) throws Exception {
		AtomicReference<String> handlerThread = new AtomicReference<>();
		AtomicReference<String> interceptorThread = new AtomicReference<>();
		ServerServiceDefinition echo = ServerServiceDefinition.builder("test.Echo")
			.addMethod(ECHO, ServerCalls.asyncUnaryCall((request, response) -> {
				handlerThread.set(Thread.currentThread().getName());
				response.onNext("echo " + request);
				response.onCompleted();
			}))
			.build();
		ServerInterceptor recording = new ServerInterceptor() {
			@Override
			public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
					ServerCallHandler<Q, R> next) {
				interceptorThread.set(Thread.currentThread().getName());
				return next.startCall(call, headers);
			}
		};
		PluginServerSettings settings = new PluginServerSettings(Map.of(), "unix", Duration.ofSeconds(1),
				Duration.ofSeconds(5));
		try (PluginServer server = PluginServer.prepare(settings, new HealthStatusManager())) {
			server.setDirectExecutor(direct);
			HandshakeLine handshake = server.start(1, List.of(ServerInterceptors.intercept(echo, recording)), () -> {
			});
			ManagedChannel channel = Transports
				.channelBuilder(Transports.socketAddress(handshake.network(), handshake.address()), null)
				.build();
			try {
				String answer = ClientCalls.blockingUnaryCall(channel, ECHO,
						CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), "hello");
				return new Served(answer, handlerThread.get(), interceptorThread.get());
			}
			finally {
				channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
			}
		}
	}

	private static final class Utf8 implements MethodDescriptor.Marshaller<String> {

		@Override
		public InputStream stream(String value) {
			return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
		}

		@Override
		public String parse(InputStream stream) {
			try {
				return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
