package io.pluginrpc.host;

import java.time.Duration;

/**
 * What happens when a plugin's process exits on its own (go-plugin does nothing; the next
 * call fails): restart it after an exponentially growing delay, up to a maximum number of
 * restarts.
 *
 * @param enabled whether to restart at all
 * @param initialBackoff delay before the first restart
 * @param maxBackoff the longest delay
 * @param multiplier factor between consecutive delays
 * @param maxRestarts most restarts over the client's life; negative for no limit
 * @param callWait how long a call made while the plugin is (re)starting waits for it;
 * zero fails at once
 */
public record RestartPolicy(boolean enabled, Duration initialBackoff, Duration maxBackoff, double multiplier,
		int maxRestarts, Duration callWait) {

	/** No restarts and no waiting, go-plugin's behaviour. */
	public static final RestartPolicy NEVER = new RestartPolicy(false, Duration.ofSeconds(1), Duration.ofSeconds(30),
			2.0, 0, Duration.ZERO);

	/**
	 * @param attempt the restart about to happen, counting from 1
	 * @return the delay before it
	 */
	public Duration backoff(int attempt) {
		double millis = this.initialBackoff.toMillis() * Math.pow(this.multiplier, Math.max(0, attempt - 1));
		return Duration.ofMillis((long) Math.min(millis, this.maxBackoff.toMillis()));
	}

	/**
	 * @param restartsSoFar restarts already made
	 * @return whether another is allowed
	 */
	public boolean allows(int restartsSoFar) {
		return this.enabled && (this.maxRestarts < 0 || restartsSoFar < this.maxRestarts);
	}

}
