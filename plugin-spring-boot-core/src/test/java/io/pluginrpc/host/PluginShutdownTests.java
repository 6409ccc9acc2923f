package io.pluginrpc.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pluginrpc.core.broker.GrpcBroker;
import io.pluginrpc.core.handshake.HandshakeLine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ending a connection closes each thing it holds once: the channel and broker early (so
 * the plugin's graceful stop does not wait for the host), then the process tree and the
 * socket paths.
 */
class PluginShutdownTests {

	@TempDir
	Path tmp;

	private final ProcessRegistry registry = new ProcessRegistry();

	@AfterEach
	void close() {
		this.registry.close();
	}

	@Test
	void aLaunchedPluginThatExitedIsClosedOnceAndReleased() {
		FakeRunner runner = new FakeRunner("unused");
		runner.crash(0);
		CountingChannel channel = new CountingChannel();
		PluginSockets sockets = PluginSockets.create(this.registry, this.tmp);
		Path directory = sockets.directory().path();
		PluginConnection connection = connection(runner, channel, sockets);

		assertThat(PluginShutdown.stop(config(), connection)).isEqualTo("stopped");

		assertThat(channel.shutdownNowCalls).as("channel closed once").hasValue(1);
		assertThat(runner.wasKilled()).as("the process tree is released").isTrue();
		assertThat(Files.exists(directory)).as("the socket directory is removed").isFalse();
	}

	@Test
	void releaseClosesTheConnectionAndReleasesTheProcess() {
		FakeRunner runner = new FakeRunner("unused");
		CountingChannel channel = new CountingChannel();
		PluginConnection connection = connection(runner, channel, PluginSockets.create(this.registry, this.tmp));

		connection.release();

		assertThat(channel.shutdownNowCalls).hasValue(1);
		assertThat(runner.wasKilled()).isTrue();
	}

	private static PluginConnection connection(FakeRunner runner, ManagedChannel channel, PluginSockets sockets) {
		HandshakeLine handshake = new HandshakeLine(1, 1, "unix",
				sockets.directory().path().resolve("plugin.sock").toString(), HandshakeLine.PROTOCOL_GRPC, null, null);
		GrpcBroker broker = new GrpcBroker("Plugin 'shut'", sockets.directory(), null, Duration.ofSeconds(5));
		return new PluginConnection(runner, handshake, channel, broker, sockets, Instant.now(), "plaintext", true);
	}

	private static PluginClientConfig config() {
		return new PluginClientConfig("shut", List.of("fake-plugin"), null, Map.of(), "BASIC_PLUGIN", "hello",
				Set.of(1), false, null, null, Duration.ofSeconds(30), Duration.ofSeconds(2), 10000, 25000, false, null,
				null);
	}

	/**
	 * Counts {@code shutdownNow}; calls are never made (the plugin has exited, no
	 * Shutdown request is sent).
	 */
	private static final class CountingChannel extends ManagedChannel {

		private final AtomicInteger shutdownNowCalls = new AtomicInteger();

		private volatile boolean shutdown;

		@Override
		public ManagedChannel shutdown() {
			this.shutdown = true;
			return this;
		}

		@Override
		public boolean isShutdown() {
			return this.shutdown;
		}

		@Override
		public boolean isTerminated() {
			return this.shutdown;
		}

		@Override
		public ManagedChannel shutdownNow() {
			this.shutdownNowCalls.incrementAndGet();
			this.shutdown = true;
			return this;
		}

		@Override
		public boolean awaitTermination(long timeout, TimeUnit unit) {
			return true;
		}

		@Override
		public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
			throw new UnsupportedOperationException("no calls in this test");
		}

		@Override
		public String authority() {
			return "localhost";
		}

	}

}
