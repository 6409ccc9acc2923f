package io.pluginrpc.plugin;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.pluginrpc.core.transport.Transports;

/**
 * Ends the plugin when its host dies. A host killed with SIGKILL cannot stop its plugins, and go-plugin
 * has no remedy (go-plugin#10, #210): the plugin lives on as an orphan. When the parent dies the kernel
 * re-parents us, so a change of parent pid is the signal; checking it is one cheap read per interval.
 * The parent to compare with is the one {@link #recordParent() recorded at start}: a host can die (or
 * refuse the handshake and exit) while the plugin is still starting, and a parent read only when
 * watching begins would already be the reaper that adopted the orphan.
 */
public final class ParentWatchdog implements AutoCloseable {

	private final ScheduledExecutorService scheduler = Executors
		.newSingleThreadScheduledExecutor(Transports.daemonThreads("plugin-parent-watchdog"));

	private final AtomicBoolean fired = new AtomicBoolean();

	/** The parent at process start, or 0 when {@link #recordParent()} was not called. */
	private static volatile long recordedParent;

	private final long parentPid;

	private ParentWatchdog(long parentPid) {
		this.parentPid = parentPid;
	}

	/**
	 * Records the current parent as the host to watch; call it as early in the process as possible.
	 * Only the first call counts.
	 */
	public static synchronized void recordParent() {
		if (recordedParent == 0) {
			recordedParent = currentParentPid();
		}
	}

	/**
	 * Starts watching the parent {@link #recordParent() recorded at start} (else the current one). When
	 * that parent is already gone, {@code onParentDeath} runs at once.
	 * @param interval how often to look
	 * @param onParentDeath runs once when the parent is gone
	 * @return the watchdog, or {@code null} when this process has no parent to watch
	 */
	public static ParentWatchdog start(Duration interval, Runnable onParentDeath) {
		long parent = (recordedParent != 0) ? recordedParent : currentParentPid();
		if (parent <= 1) {
			return null;
		}
		ParentWatchdog watchdog = new ParentWatchdog(parent);
		watchdog.scheduler.scheduleWithFixedDelay(() -> {
			if (currentParentPid() != watchdog.parentPid && watchdog.fired.compareAndSet(false, true)) {
				watchdog.scheduler.shutdown();
				new Thread(onParentDeath, "plugin-orphan-exit").start();
			}
		}, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
		return watchdog;
	}

	/** @return the pid of the parent being watched */
	public long parentPid() {
		return this.parentPid;
	}

	private static long currentParentPid() {
		return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(1L);
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
	}

}
