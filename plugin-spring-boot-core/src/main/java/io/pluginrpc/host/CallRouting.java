package io.pluginrpc.host;

import java.time.Duration;
import java.util.function.Supplier;

import io.grpc.ManagedChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the channel a call through {@link PluginClient#channel()} goes on: the connection
 * being initialized for an initializer's own calls; else, after a lazy plugin's first
 * start and a wait while the plugin (re)starts ({@code restart.call-wait}), the current
 * connection's when the plugin is RUNNING; else none, and the call fails with UNAVAILABLE
 * naming the state ({@link PluginChannel}).
 */
final class CallRouting {

	private static final Logger logger = LoggerFactory.getLogger(CallRouting.class);

	private final Supplier<PluginConnection> connection;

	private final PluginStateMonitor state;

	private final PluginInitialization initialization;

	private final Runnable lazyStart;

	private final Duration callWait;

	/**
	 * @param connection the current connection, or {@code null}
	 * @param state the plugin's state
	 * @param initialization tells whether the calling thread runs an initializer
	 * @param lazyStart starts a lazy plugin on its first call; {@code null} when the
	 * plugin is not lazy
	 * @param callWait how long a call made during a (re)start waits for it; zero fails at
	 * once
	 */
	CallRouting(Supplier<PluginConnection> connection, PluginStateMonitor state, PluginInitialization initialization,
			Runnable lazyStart, Duration callWait) {
		this.connection = connection;
		this.state = state;
		this.initialization = initialization;
		this.lazyStart = lazyStart;
		this.callWait = callWait;
	}

	/**
	 * @return the channel for a call made now, or {@code null} when there is none to use
	 */
	ManagedChannel channel() {
		PluginConnection current = this.connection.get();
		if (current != null && this.initialization.isInitializingThread()) {
			return current.channel();
		}
		if (this.lazyStart != null && this.state.get() == PluginState.STOPPED && current == null) {
			try {
				this.lazyStart.run();
			}
			catch (PluginStartException ex) {
				// The call fails with UNAVAILABLE carrying this reason (see
				// PluginChannel).
				logger.error(ex.getMessage());
			}
		}
		this.state.awaitStarted(this.callWait);
		current = this.connection.get();
		return (current != null && this.state.get() == PluginState.RUNNING) ? current.channel() : null;
	}

}
