package io.pluginrpc.host;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a crashed plugin back (go-plugin does nothing; the next call fails): restarts after an
 * exponentially growing backoff, up to the restart policy's limit, on the host's scheduler; and lets calls
 * made meanwhile wait for it ({@code call-wait}).
 */
final class PluginSupervisor {

	private static final Logger logger = LoggerFactory.getLogger(PluginSupervisor.class);

	/** The plugin under supervision. */
	interface Supervised {

		/** @return the plugin's name */
		String getName();

		/** @return where the plugin is in its life */
		PluginState getState();

		/** @param state the plugin's new state */
		void transition(PluginState state);

		/**
		 * Starts the plugin again, unless it left RESTARTING meanwhile (it was stopped): the check and the
		 * start are one step for the plugin's other transitions.
		 * @param beforeStart run right before the start, only if it happens
		 * @throws PluginStartException when the start fails
		 */
		void restartIfRestarting(Runnable beforeStart);

	}

	private final Supervised plugin;

	private final RestartPolicy policy;

	private final ScheduledExecutorService scheduler;

	private final PluginEventListener events;

	private final AtomicInteger restarts = new AtomicInteger();

	private ScheduledFuture<?> pending;

	PluginSupervisor(Supervised plugin, RestartPolicy policy, ScheduledExecutorService scheduler,
			PluginEventListener events) {
		this.plugin = plugin;
		this.policy = policy;
		this.scheduler = scheduler;
		this.events = events;
	}

	/** @return restarts made after crashes so far */
	int restarts() {
		return this.restarts.get();
	}

	/** @return whether the policy allows one more restart */
	boolean willRestart() {
		return this.policy.allows(this.restarts.get());
	}

	/** The plugin exited on its own and its connection is released: restart it, or give up. */
	void crashed() {
		scheduleRestart();
	}

	/** After a failed first start: retry like after a crash, when the policy restarts at all. */
	void retryLater() {
		if (this.plugin.getState() == PluginState.FAILED && this.policy.enabled()) {
			scheduleRestart();
		}
	}

	/** Cancels a restart that is waiting for its backoff (the plugin is being stopped). */
	synchronized void cancel() {
		if (this.pending != null) {
			this.pending.cancel(false);
			this.pending = null;
		}
	}

	/** @return how long a call made during a (re)start waits for it; zero fails at once */
	Duration callWait() {
		return this.policy.callWait();
	}

	private synchronized void scheduleRestart() {
		if (!willRestart()) {
			this.plugin.transition(PluginState.FAILED);
			if (this.policy.enabled()) {
				logger.error("Plugin '{}' will not be restarted: it was restarted {} times already (restart.max-restarts)",
						this.plugin.getName(), this.restarts.get());
			}
			return;
		}
		Duration delay = this.policy.backoff(this.restarts.get() + 1);
		this.plugin.transition(PluginState.RESTARTING);
		logger.warn("Restarting plugin '{}' in {} ms", this.plugin.getName(), delay.toMillis());
		this.pending = this.scheduler.schedule(this::restart, delay.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void restart() {
		synchronized (this) {
			this.pending = null;
		}
		try {
			this.plugin.restartIfRestarting(() -> {
				this.restarts.incrementAndGet();
				this.events.restarting(this.plugin.getName());
			});
		}
		catch (RuntimeException ex) {
			logger.error("Restart of plugin '{}' failed: {}", this.plugin.getName(), ex.getMessage());
			scheduleRestart();
		}
	}

}
