package io.pluginrpc.host;

import java.util.List;

/**
 * Runs the {@link PluginInitializer}s after a (re)start, on the starting thread. That
 * thread's calls reach the new connection although the plugin does not count as RUNNING
 * yet; other threads' calls still wait or fail, so none sees the plugin before it is in
 * its configured state.
 */
final class PluginInitialization {

	private final List<PluginInitializer> initializers;

	private volatile Thread initializing;

	PluginInitialization(List<PluginInitializer> initializers) {
		this.initializers = List.copyOf(initializers);
	}

	/**
	 * @return whether the calling thread is running the initializers
	 */
	boolean isInitializingThread() {
		return Thread.currentThread() == this.initializing;
	}

	/**
	 * @param client the connected plugin
	 * @throws PluginStartException (reason INITIALIZE) naming the initializer that failed
	 */
	void run(PluginClient client) {
		if (this.initializers.isEmpty()) {
			return;
		}
		this.initializing = Thread.currentThread();
		try {
			for (PluginInitializer initializer : this.initializers) {
				try {
					initializer.initialize(client);
				}
				catch (Exception ex) {
					throw StartFailureDiagnosis.initializerFailed(client.getName(), initializer, ex);
				}
			}
		}
		finally {
			this.initializing = null;
		}
	}

}
