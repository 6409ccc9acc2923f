package io.pluginrpc.host;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a crashed plugin back (go-plugin does nothing; the next call fails): restarts
 * after an exponentially growing backoff, up to the restart policy's limit, on the host's
 * scheduler; and lets calls made meanwhile wait for it ({@code call-wait}).
 */
final class PluginSupervisor {

	private static final Logger logger = LoggerFactory.getLogger(PluginSupervisor.class);

	/** Starts the plugin under supervision again. */
	@FunctionalInterface
	interface Restart {

		/**
		 * Starts the plugin again, unless it left RESTARTING meanwhile (it was stopped):
		 * the check and the start are one step for the plugin's other transitions.
		 * @param beforeStart run right before the start, only if it happens
		 * @throws PluginStartException when the start fails
		 */
		void restartIfRestarting(Runnable beforeStart);

	}

	private final String name;

	private final PluginStateMonitor state;

	private final Restart restart;

	private final RestartPolicy policy;

	private final ScheduledExecutorService scheduler;

	private final PluginEventListener events;

	private final AtomicInteger restarts = new AtomicInteger();

	private ScheduledFuture<?> pending;

	/**
	 * @param name the plugin's name
	 * @param state the plugin's state, shared with its client
	 * @param restart starts the plugin again
	 * @param policy when and how often to restart
	 * @param scheduler where restarts wait for their backoff
	 * @param events told of each restart
	 */
	PluginSupervisor(String name, PluginStateMonitor state, Restart restart, RestartPolicy policy,
			ScheduledExecutorService scheduler, PluginEventListener events) {
		this.name = name;
		this.state = state;
		this.restart = restart;
		this.policy = policy;
		this.scheduler = scheduler;
		this.events = events;
	}

	/**
	 * @return restarts made after crashes so far
	 */
	int restarts() {
		return this.restarts.get();
	}

	/**
	 * @return whether the policy allows one more restart
	 */
	boolean willRestart() {
		return this.policy.allows(this.restarts.get());
	}

	/**
	 * The plugin exited on its own, its connection is released, and its client moved it
	 * to RESTARTING because {@link #willRestart()} said so: schedule the restart, without
	 * a second transition (which would also undo a stop that came in between: the plugin
	 * stays STOPPED, nothing is scheduled).
	 */
	synchronized void crashed() {
		if (this.state.get() == PluginState.RESTARTING) {
			schedule();
		}
	}

	/**
	 * The plugin exited on its own and its client moved it to FAILED: say why it is not
	 * restarted.
	 */
	void gaveUp() {
		if (this.policy.enabled() && !willRestart()) {
			logGiveUp();
		}
	}

	/**
	 * After a failed first start: retry like after a crash, when the policy restarts at
	 * all.
	 */
	void retryLater() {
		if (this.state.get() == PluginState.FAILED && this.policy.enabled()) {
			scheduleRestart();
		}
	}

	/**
	 * Cancels a restart that is waiting for its backoff (the plugin is being stopped).
	 */
	synchronized void cancel() {
		if (this.pending != null) {
			this.pending.cancel(false);
			this.pending = null;
		}
	}

	/** After a failed start or restart: restart once more, or give up. */
	private synchronized void scheduleRestart() {
		if (!willRestart()) {
			this.state.set(PluginState.FAILED);
			if (this.policy.enabled()) {
				logGiveUp();
			}
			return;
		}
		this.state.set(PluginState.RESTARTING);
		schedule();
	}

	private void logGiveUp() {
		logger.error("Plugin '{}' will not be restarted: it was restarted {} times already (restart.max-restarts)",
				this.name, this.restarts.get());
	}

	private synchronized void schedule() {
		Duration delay = this.policy.backoff(this.restarts.get() + 1);
		logger.warn("Restarting plugin '{}' in {} ms", this.name, delay.toMillis());
		this.pending = this.scheduler.schedule(this::restart, delay.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void restart() {
		synchronized (this) {
			this.pending = null;
		}
		try {
			this.restart.restartIfRestarting(() -> {
				this.restarts.incrementAndGet();
				this.events.restarting(this.name);
			});
		}
		catch (RuntimeException ex) {
			logger.error("Restart of plugin '{}' failed: {}", this.name, ex.getMessage());
			scheduleRestart();
		}
	}

}
