package io.pluginrpc.plugin;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.pluginrpc.core.transport.Transports;

/**
 * Ends the plugin when its host dies. A host killed with SIGKILL cannot stop its plugins,
 * and go-plugin has no remedy (go-plugin#10, #210): the plugin lives on as an orphan. The
 * parent to compare with is the {@link PluginParent} recorded at start. Two signals, both
 * from the JDK's {@link ProcessHandle} on every OS, one cheap look per interval: on Linux
 * and macOS the kernel re-parents an orphan, so its parent pid changes; Windows never
 * re-parents, but the parent's handle (pid plus start time, so a reused pid is not
 * mistaken for it) stops being alive. No {@code /proc}, no signals.
 */
public final class ParentWatchdog implements AutoCloseable {

	private final ScheduledExecutorService scheduler = Executors
		.newSingleThreadScheduledExecutor(Transports.daemonThreads("plugin-parent-watchdog"));

	private final AtomicBoolean fired = new AtomicBoolean();

	private final ProcessHandle parent;

	private ParentWatchdog(ProcessHandle parent) {
		this.parent = parent;
	}

	/**
	 * Starts watching the parent recorded at start. When that parent is already gone,
	 * {@code onParentDeath} runs at once.
	 * @param recorded the parent recorded at start
	 * @param interval how often to look
	 * @param onParentDeath runs once when the parent is gone
	 * @return the watchdog, or {@code null} when this process has no parent to watch
	 */
	public static ParentWatchdog start(PluginParent recorded, Duration interval, Runnable onParentDeath) {
		ProcessHandle parent = recorded.handle().orElse(null);
		if (parent == null) {
			return null;
		}
		ParentWatchdog watchdog = new ParentWatchdog(parent);
		watchdog.scheduler.scheduleWithFixedDelay(() -> {
			if (watchdog.isParentGone() && watchdog.fired.compareAndSet(false, true)) {
				watchdog.scheduler.shutdown();
				new Thread(onParentDeath, "plugin-orphan-exit").start();
			}
		}, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
		return watchdog;
	}

	/**
	 * @return the pid of the parent being watched
	 */
	public long parentPid() {
		return this.parent.pid();
	}

	/**
	 * @return whether the watched parent has died: re-parented (Unix) or no longer alive
	 * (every OS)
	 */
	boolean isParentGone() {
		long current = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
		return current != this.parent.pid() || !this.parent.isAlive();
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
	}

}
