package io.pluginrpc.host;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The supervisor alone, with the state its client shares and a recorded restart: after a
 * crash the client has moved the plugin to RESTARTING or FAILED, and the supervisor only
 * schedules (one transition per crash; a stop that came in between stays a stop).
 */
class PluginSupervisorUnitTests {

	private static final Duration HANG_GUARD = Duration.ofSeconds(30);

	private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

	private final PluginStateMonitor state = new PluginStateMonitor();

	private final List<PluginState> statesAtRestart = new CopyOnWriteArrayList<>();

	private final List<String> failuresAtRestart = new CopyOnWriteArrayList<>();

	private final CountDownLatch restarted = new CountDownLatch(1);

	@AfterEach
	void close() {
		this.scheduler.shutdownNow();
	}

	@Test
	void aCrashIsScheduledWithoutASecondTransition() throws InterruptedException {
		PluginSupervisor supervisor = supervisor(
				new RestartPolicy(true, Duration.ofMillis(10), Duration.ofMillis(10), 1.0, 3, Duration.ZERO));
		assertThat(supervisor.willRestart()).isTrue();
		this.state.failed(PluginState.RESTARTING, "Plugin 'unit' (pid 1) exited unexpectedly with status 1");

		supervisor.crashed();

		assertThat(this.restarted.await(HANG_GUARD.toSeconds(), TimeUnit.SECONDS)).as("hang guard").isTrue();
		assertThat(this.statesAtRestart).containsExactly(PluginState.RESTARTING);
		assertThat(supervisor.restarts()).isEqualTo(1);
		assertThat(this.failuresAtRestart).as("the client's failure, not overwritten")
			.containsExactly("Plugin 'unit' (pid 1) exited unexpectedly with status 1");
	}

	@Test
	void aStopBetweenTheCrashAndTheSchedulingStaysAStop() {
		PluginSupervisor supervisor = supervisor(
				new RestartPolicy(true, Duration.ofMillis(10), Duration.ofMillis(10), 1.0, 3, Duration.ZERO));
		this.state.set(PluginState.STOPPED);

		supervisor.crashed();

		assertThat(this.state.get()).isEqualTo(PluginState.STOPPED);
		assertThat(this.scheduler.getQueue()).as("no restart scheduled").isEmpty();
		assertThat(this.statesAtRestart).isEmpty();
	}

	@Test
	void givingUpLeavesTheStateToTheClient() {
		PluginSupervisor supervisor = supervisor(RestartPolicy.NEVER);
		assertThat(supervisor.willRestart()).isFalse();
		this.state.failed(PluginState.FAILED, "Plugin 'unit' (pid 1) exited unexpectedly with status 1");

		supervisor.gaveUp();

		assertThat(this.state.get()).isEqualTo(PluginState.FAILED);
		assertThat(this.scheduler.getQueue()).isEmpty();
	}

	@Test
	void aFailedFirstStartIsRetriedWhenThePolicyRestarts() throws InterruptedException {
		PluginSupervisor supervisor = supervisor(
				new RestartPolicy(true, Duration.ofMillis(10), Duration.ofMillis(10), 1.0, 3, Duration.ZERO));
		this.state.failed(PluginState.FAILED, "Plugin 'unit': the handshake timed out");

		supervisor.retryLater();

		assertThat(this.restarted.await(HANG_GUARD.toSeconds(), TimeUnit.SECONDS)).as("hang guard").isTrue();
		assertThat(this.statesAtRestart).containsExactly(PluginState.RESTARTING);
	}

	private PluginSupervisor supervisor(RestartPolicy policy) {
		return new PluginSupervisor("unit", this.state, (beforeStart) -> {
			this.statesAtRestart.add(this.state.get());
			this.failuresAtRestart.add(this.state.lastFailure());
			if (this.state.get() == PluginState.RESTARTING) {
				beforeStart.run();
				this.state.running();
			}
			this.restarted.countDown();
		}, policy, this.scheduler, PluginEventListener.NONE);
	}

}
