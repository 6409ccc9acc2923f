package io.pluginrpc.host;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which channel a call gets: the running connection's, after a lazy start or a
 * (re)start's wait; else none.
 */
class CallRoutingTests {

	private static final Duration HANG_GUARD = Duration.ofSeconds(30);

	private final ManagedChannel channel = InProcessChannelBuilder.forName("call-routing").build();

	private final PluginConnection connection = new PluginConnection(null, null, this.channel, null, null, null,
			"plaintext", true);

	private final AtomicReference<PluginConnection> current = new AtomicReference<>();

	private final PluginStateMonitor state = new PluginStateMonitor();

	private final PluginInitialization initialization = new PluginInitialization(List.of());

	@AfterEach
	void close() {
		this.channel.shutdownNow();
	}

	@Test
	void aRunningPluginsCallsGoOnItsConnection() {
		this.current.set(this.connection);
		this.state.running();
		assertThat(routing(null, Duration.ZERO).channel()).isSameAs(this.channel);
	}

	@Test
	void noChannelWhenThePluginIsNotRunningAndCallsDoNotWait() {
		assertThat(routing(null, Duration.ZERO).channel()).isNull();
		this.current.set(this.connection);
		this.state.failed(PluginState.RESTARTING, "Plugin 'p' (pid 1) exited unexpectedly with status 1");
		assertThat(routing(null, Duration.ZERO).channel()).as("a connection, but not RUNNING").isNull();
	}

	@Test
	void aLazyPluginIsStartedByItsFirstCall() {
		AtomicInteger starts = new AtomicInteger();
		CallRouting routing = routing(() -> {
			starts.incrementAndGet();
			this.current.set(this.connection);
			this.state.running();
		}, Duration.ZERO);
		assertThat(routing.channel()).isSameAs(this.channel);
		assertThat(routing.channel()).isSameAs(this.channel);
		assertThat(starts).as("only while STOPPED").hasValue(1);
	}

	@Test
	void aLazyStartThatFailsLeavesTheCallWithoutAChannel() {
		CallRouting routing = routing(() -> {
			this.state.failed(PluginState.FAILED, "Plugin 'p': no handshake");
			throw new PluginStartException("p", PluginStartException.Reason.HANDSHAKE, "Plugin 'p': no handshake",
					null);
		}, Duration.ZERO);
		assertThat(routing.channel()).isNull();
	}

	@Test
	void aCallDuringARestartWaitsForIt() throws Exception {
		this.state.failed(PluginState.RESTARTING, "Plugin 'p' (pid 1) exited unexpectedly with status 1");
		CallRouting routing = routing(null, HANG_GUARD);
		CompletableFuture<ManagedChannel> call = CompletableFuture.supplyAsync(routing::channel);
		this.current.set(this.connection);
		this.state.running();
		assertThat(call.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS)).isSameAs(this.channel);
	}

	private CallRouting routing(Runnable lazyStart, Duration callWait) {
		return new CallRouting(this.current::get, this.state, this.initialization, lazyStart, callWait);
	}

}
