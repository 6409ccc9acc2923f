package io.pluginrpc.host;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.KVGrpc;
import io.pluginrpc.sample.proto.PutRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The supervisor's decisions (restart, backoff, give up, call-wait, initializers before
 * RUNNING) with fake processes ({@link FakeRunner}) in front of a real gRPC server on a
 * real socket ({@link InJvmPlugin}).
 */
class PluginSupervisorTests {

	private static final Duration HANG_GUARD = Duration.ofSeconds(30);

	private final PluginHost host = PluginHost.create();

	private final List<FakeRunner> launched = new CopyOnWriteArrayList<>();

	private final List<String> events = new CopyOnWriteArrayList<>();

	private InJvmPlugin plugin;

	private PluginClient client;

	@AfterEach
	void close() {
		if (this.client != null) {
			this.client.stop();
		}
		if (this.plugin != null) {
			this.plugin.close();
		}
		this.host.close();
	}

	@Test
	void aCrashedPluginIsRestartedAndConfiguredBeforeItCountsAsRunning() {
		List<PluginState> seenByInitializer = new CopyOnWriteArrayList<>();
		PluginInitializer configure = (client) -> {
			seenByInitializer.add(client.getState());
			kv(client)
				.put(PutRequest.newBuilder().setKey("__prefix").setValue(ByteString.copyFromUtf8("cfg:")).build());
		};
		start(true, policy(5, Duration.ofMillis(10), Duration.ZERO), List.of(configure));
		kv(this.client).put(PutRequest.newBuilder().setKey("k").setValue(ByteString.copyFromUtf8("v")).build());
		assertThat(get("k")).isEqualTo("cfg:v");

		this.launched.get(0).crash(1);

		await().atMost(HANG_GUARD)
			.until(() -> this.client.getRestarts() == 1 && this.client.getState() == PluginState.RUNNING);
		assertThat(this.launched).hasSize(2);
		assertThat(this.plugin.prefix()).as("the new process was configured").isEqualTo("cfg:");
		assertThat(get("k")).isEqualTo("cfg:v");
		assertThat(seenByInitializer).containsExactly(PluginState.STARTING, PluginState.RESTARTING);
		assertThat(this.client.getLastExitStatus()).isEqualTo(1);
		assertThat(this.events).containsSubsequence("started:0", "exited:crashed", "restarting", "started:1");
	}

	@Test
	void callsMadeDuringARestartWaitForTheConfiguredPlugin() throws Exception {
		AtomicInteger configured = new AtomicInteger();
		PluginInitializer configure = (client) -> {
			kv(client)
				.put(PutRequest.newBuilder().setKey("__prefix").setValue(ByteString.copyFromUtf8("cfg:")).build());
			configured.incrementAndGet();
		};
		start(true, policy(5, Duration.ofMillis(300), HANG_GUARD), List.of(configure));
		kv(this.client).put(PutRequest.newBuilder().setKey("k").setValue(ByteString.copyFromUtf8("v")).build());

		this.launched.get(0).crash(1);
		await().atMost(HANG_GUARD).until(() -> this.client.getState() == PluginState.RESTARTING);
		ExecutorService callers = Executors.newFixedThreadPool(4);
		try {
			List<Future<String>> calls = new java.util.ArrayList<>();
			for (int i = 0; i < 4; i++) {
				calls.add(callers.submit(() -> get("k")));
			}
			for (Future<String> call : calls) {
				assertThat(call.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS)).isEqualTo("cfg:v");
			}
		}
		finally {
			callers.shutdownNow();
		}
		assertThat(configured).hasValue(2);
		assertThat(this.client.getRestarts()).isEqualTo(1);
	}

	@Test
	void aFailingInitializerFailsTheFirstStartWithItsOwnReason() {
		PluginInitializer broken = (client) -> {
			throw new IllegalStateException("no configuration for plugin 'super'");
		};
		this.plugin = new InJvmPlugin(true);
		this.client = client(RestartPolicy.NEVER, List.of(broken));
		assertThatExceptionOfType(PluginStartException.class).isThrownBy(this.client::start)
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(PluginStartException.Reason.INITIALIZE))
			.withMessageStartingWith("Plugin 'super': the plugin started, but its initializer ")
			.withMessageEndingWith("failed: java.lang.IllegalStateException: no configuration for plugin 'super'");
		assertThat(this.client.getState()).isEqualTo(PluginState.FAILED);
		assertThat(this.launched.get(0).wasKilled()).as("the process of the failed start").isTrue();
		assertThat(this.events).contains("startFailed:INITIALIZE");
	}

	@Test
	void restartsWhoseInitializerFailsAreRetriedUntilTheLimitThenTheClientGivesUp() {
		AtomicInteger runs = new AtomicInteger();
		PluginInitializer failsAfterTheFirstStart = (client) -> {
			if (runs.incrementAndGet() > 1) {
				throw new IllegalStateException("configuration store unreachable");
			}
		};
		start(true, policy(3, Duration.ofMillis(10), Duration.ZERO), List.of(failsAfterTheFirstStart));

		this.launched.get(0).crash(2);

		await().atMost(HANG_GUARD).until(() -> this.client.getState() == PluginState.FAILED);
		assertThat(this.client.getRestarts()).isEqualTo(3);
		assertThat(runs).hasValue(4);
		assertThat(this.launched).hasSize(4).allSatisfy((runner) -> assertThat(runner.isAlive()).isFalse());
		assertThat(this.client.getLastFailure()).contains("configuration store unreachable");
		assertThat(this.events).filteredOn("startFailed:INITIALIZE"::equals).hasSize(3);
		assertThat(this.events).last().isEqualTo("failed");
	}

	@Test
	void aPluginWithoutTheHealthServiceStartsAndIsJudgedByItsProcess() {
		start(false, RestartPolicy.NEVER, List.of());
		assertThat(this.client.getState()).isEqualTo(PluginState.RUNNING);
		assertThat(this.client.hasHealthService()).isFalse();
		assertThat(this.client.isProcessAlive()).isTrue();
		kv(this.client).put(PutRequest.newBuilder().setKey("k").setValue(ByteString.copyFromUtf8("v")).build());
		assertThat(get("k")).isEqualTo("v");
	}

	@Test
	void stopCancelsARestartThatWaitsForItsBackoff() {
		start(true, policy(5, Duration.ofHours(1), Duration.ZERO), List.of());
		this.launched.get(0).crash(1);
		await().atMost(HANG_GUARD).until(() -> this.client.getState() == PluginState.RESTARTING);

		this.client.stop();

		assertThat(this.client.getState()).isEqualTo(PluginState.STOPPED);
		assertThat(this.client.getRestarts()).isZero();
		assertThat(this.launched).hasSize(1);
	}

	@Test
	void withoutRestartsACrashLeavesThePluginFailed() {
		start(true, RestartPolicy.NEVER, List.of());
		this.launched.get(0).crash(3);
		await().atMost(HANG_GUARD).until(() -> this.client.getState() == PluginState.FAILED);
		assertThat(this.client.getLastFailure())
			.isEqualTo("Plugin 'super' (pid 4242) exited unexpectedly with status 3");
		assertThat(this.launched).hasSize(1);
		assertThat(this.events).last().isEqualTo("failed");
	}

	private void start(boolean healthService, RestartPolicy policy, List<PluginInitializer> initializers) {
		this.plugin = new InJvmPlugin(healthService);
		this.client = client(policy, initializers);
		this.client.start();
	}

	private PluginClient client(RestartPolicy policy, List<PluginInitializer> initializers) {
		PluginClientConfig config = new PluginClientConfig("super", List.of("fake-plugin"), null, Map.of(),
				"BASIC_PLUGIN", "hello", Set.of(1), false, null, null, HANG_GUARD, Duration.ofSeconds(2), 10000, 25000,
				false, null, null);
		return new PluginClient(config, this.host, policy, new Recorder(), initializers,
				this.plugin.launcher(this.launched));
	}

	private static RestartPolicy policy(int maxRestarts, Duration backoff, Duration callWait) {
		return new RestartPolicy(true, backoff, backoff, 1.0, maxRestarts, callWait);
	}

	private static KVGrpc.KVBlockingStub kv(PluginClient client) {
		return KVGrpc.newBlockingStub(client.channel()).withDeadlineAfter(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS);
	}

	private String get(String key) {
		return kv(this.client).get(GetRequest.newBuilder().setKey(key).build()).getValue().toStringUtf8();
	}

	private final class Recorder implements PluginEventListener {

		@Override
		public void started(String plugin, Duration startup, int restarts) {
			PluginSupervisorTests.this.events.add("started:" + restarts);
		}

		@Override
		public void startFailed(String plugin, PluginStartException.Reason reason) {
			PluginSupervisorTests.this.events.add("startFailed:" + reason);
		}

		@Override
		public void exited(String plugin, String cause) {
			PluginSupervisorTests.this.events.add("exited:" + cause);
		}

		@Override
		public void restarting(String plugin) {
			PluginSupervisorTests.this.events.add("restarting");
		}

		@Override
		public void failed(String plugin, String reason) {
			PluginSupervisorTests.this.events.add("failed");
		}

	}

}
