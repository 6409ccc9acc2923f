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
 */
public final class ParentWatchdog implements AutoCloseable {

	private final ScheduledExecutorService scheduler = Executors
		.newSingleThreadScheduledExecutor(Transports.daemonThreads("plugin-parent-watchdog"));

	private final AtomicBoolean fired = new AtomicBoolean();

	private final long parentPid;

	private ParentWatchdog(long parentPid) {
		this.parentPid = parentPid;
	}

	/**
	 * Starts watching the current parent process.
	 * @param interval how often to look
	 * @param onParentDeath runs once when the parent is gone
	 * @return the watchdog, or {@code null} when this process has no parent to watch
	 */
	public static ParentWatchdog start(Duration interval, Runnable onParentDeath) {
		long parent = currentParentPid();
		if (parent <= 1) {
			return null;
		}
		ParentWatchdog watchdog = new ParentWatchdog(parent);
		watchdog.scheduler.scheduleWithFixedDelay(() -> {
			if (currentParentPid() != watchdog.parentPid && watchdog.fired.compareAndSet(false, true)) {
				watchdog.scheduler.shutdown();
				new Thread(onParentDeath, "plugin-orphan-exit").start();
			}
		}, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
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
