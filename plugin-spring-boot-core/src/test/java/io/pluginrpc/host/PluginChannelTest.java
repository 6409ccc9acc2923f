package io.pluginrpc.host;

import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.KVGrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Calls through the following channel fail with statuses that name the plugin. */
class PluginChannelTest {

	@Test
	void failsAtOnceWithUnavailableWhenThereIsNoConnection() {
		PluginChannel channel = new PluginChannel("kv", () -> null, () -> "STOPPED");
		assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> get(channel))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE))
			.withMessage("UNAVAILABLE: Plugin 'kv' is not connected (state STOPPED); cannot call proto.KV/Get");
	}

	@Test
	void aConnectionLostMidCallIsUnavailableNamingThePlugin() {
		// grpc-netty's report of a write to a connection that is already closed.
		PluginChannel channel = new PluginChannel("kv",
				() -> new Closing(
						Status.UNKNOWN.withDescription("channel closed").withCause(new ClosedChannelException())),
				() -> "FAILED");
		assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> get(channel))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE))
			.withMessage("UNAVAILABLE: Plugin 'kv' is unavailable (state FAILED): channel closed");
	}

	@Test
	void aConnectionThatCannotBeMadeSaysWhy() {
		// grpc-netty keeps the reason in the cause; a missing socket file comes without a
		// message.
		PluginChannel refused = new PluginChannel("kv",
				() -> new Closing(
						Status.UNAVAILABLE.withDescription("io exception")
							.withCause(new java.net.ConnectException(
									"connect(..) failed: Connection refused: /s/plugin.sock"))),
				() -> "RUNNING", () -> "/s/plugin.sock");
		assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> get(refused))
			.withMessage("UNAVAILABLE: Plugin 'kv' is unavailable (state RUNNING): io exception"
					+ " (ConnectException: connect(..) failed: Connection refused: /s/plugin.sock)");
		PluginChannel missing = new PluginChannel("kv", () -> new Closing(
				Status.UNAVAILABLE.withDescription("io exception").withCause(new java.io.FileNotFoundException())),
				() -> "RUNNING", () -> "/s/plugin.sock");
		assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> get(missing))
			.withMessage("UNAVAILABLE: Plugin 'kv' is unavailable (state RUNNING): io exception;"
					+ " the plugin's socket /s/plugin.sock does not exist (deleted?)");
	}

	@Test
	void statusTextGivesEachCauseOnceWithoutStackTraces() {
		Status status = Status.UNAVAILABLE.withDescription("io exception: refused")
			.withCause(new IllegalStateException("wrapped", new java.io.IOException("refused")));
		assertThat(StatusText.of(status))
			.isEqualTo("UNAVAILABLE: io exception: refused (IllegalStateException: wrapped)");
		assertThat(StatusText.of(Status.CANCELLED)).isEqualTo("CANCELLED");
		assertThat(StatusText.of(Status.UNKNOWN.withCause(new java.io.FileNotFoundException())))
			.isEqualTo("UNKNOWN: (FileNotFoundException)");
	}

	@Test
	void thePluginsOwnErrorsPassUnchanged() {
		PluginChannel channel = new PluginChannel("kv", () -> new Closing(Status.UNKNOWN.withDescription("boom")),
				() -> "RUNNING");
		assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> get(channel))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN))
			.withMessage("UNKNOWN: boom");
	}

	private static void get(PluginChannel channel) {
		KVGrpc.newBlockingStub(channel).get(GetRequest.newBuilder().setKey("k").build());
	}

	/** A connection whose every call ends with the given status. */
	private static final class Closing extends ManagedChannel {

		private final Status status;

		Closing(Status status) {
			this.status = status;
		}

		@Override
		public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
			return new FailedClientCall<>(Closing.this.status);
		}

		@Override
		public String authority() {
			return "localhost";
		}

		@Override
		public ManagedChannel shutdown() {
			return this;
		}

		@Override
		public boolean isShutdown() {
			return false;
		}

		@Override
		public boolean isTerminated() {
			return false;
		}

		@Override
		public ManagedChannel shutdownNow() {
			return this;
		}

		@Override
		public boolean awaitTermination(long timeout, TimeUnit unit) {
			return true;
		}

	}

}
