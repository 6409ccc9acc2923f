package io.pluginrpc.plugin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.pluginrpc.testing.Processes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watchdog compares with the parent recorded at start: a parent that is gone by the
 * time watching begins fires it at once, the live parent does not.
 */
class ParentWatchdogTest {

	@Test
	void recordsTheCurrentParent() {
		PluginParent parent = PluginParent.ofCurrentProcess();
		assertThat(parent.handle()).map(ProcessHandle::pid)
			.isEqualTo(ProcessHandle.current().parent().map(ProcessHandle::pid));
	}

	@Test
	void noParentToWatchWithoutAParentOrWithInit() {
		assertThat(PluginParent.of(null).handle()).isEmpty();
		assertThat(ParentWatchdog.start(PluginParent.of(null), Duration.ofMillis(10), () -> {
		})).isNull();
		ProcessHandle.of(1).ifPresent((init) -> assertThat(PluginParent.of(init).handle()).isEmpty());
	}

	@Test
	void firesOnceWhenTheRecordedParentIsGone() throws Exception {
		Process gone = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-version")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		gone.waitFor();
		CountDownLatch fired = new CountDownLatch(1);
		try (ParentWatchdog watchdog = ParentWatchdog.start(PluginParent.of(gone.toHandle()), Duration.ofMillis(10),
				fired::countDown)) {
			assertThat(watchdog).isNotNull();
			assertThat(watchdog.parentPid()).isEqualTo(gone.pid());
			assertThat(fired.await(Processes.HANG_GUARD.toSeconds(), TimeUnit.SECONDS)).as("hang guard").isTrue();
			assertThat(watchdog.isParentGone()).isTrue();
		}
	}

	@Test
	void liveParentIsNotGone() {
		try (ParentWatchdog watchdog = ParentWatchdog.start(PluginParent.ofCurrentProcess(), Duration.ofHours(1),
				() -> {
				})) {
			assertThat(watchdog).isNotNull();
			assertThat(watchdog.isParentGone()).isFalse();
		}
	}

}
