package io.pluginrpc.autoconfigure.host;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the application's plugins all at once, right before their own lifecycle phase:
 * each start mostly waits for its plugin's process (a Go plugin's handshake, a Java
 * plugin's JVM), so one after the other adds those waits up. A plugin that fails with
 * {@code fail-fast} fails the application with its own exception, after the others that
 * started are stopped again; without {@code fail-fast} it is left DOWN with its restart
 * scheduled, as when started alone.
 */
class ConcurrentPluginStartup implements SmartLifecycle {

	private final ObjectProvider<ManagedPluginClient> clients;

	private volatile boolean running;

	ConcurrentPluginStartup(ObjectProvider<ManagedPluginClient> clients) {
		this.clients = clients;
	}

	@Override
	public void start() {
		List<ManagedPluginClient> plugins = this.clients.orderedStream()
			.filter(ManagedPluginClient::isAutoStartup)
			.toList();
		this.running = true;
		if (plugins.size() < 2) {
			// Nothing to overlap: the plugin's own lifecycle starts it.
			return;
		}
		List<CompletableFuture<Void>> starts = new ArrayList<>();
		for (ManagedPluginClient plugin : plugins) {
			CompletableFuture<Void> start = new CompletableFuture<>();
			Thread thread = new Thread(() -> {
				try {
					plugin.start();
					start.complete(null);
				}
				catch (Throwable ex) {
					start.completeExceptionally(ex);
				}
			}, "plugin-start-" + plugin.getName());
			thread.setDaemon(true);
			thread.start();
			starts.add(start);
		}
		RuntimeException failure = null;
		for (CompletableFuture<Void> start : starts) {
			try {
				start.join();
			}
			catch (CompletionException ex) {
				RuntimeException cause = (ex.getCause() instanceof RuntimeException runtime) ? runtime
						: new IllegalStateException(ex.getCause());
				if (failure == null) {
					failure = cause;
				}
				else {
					failure.addSuppressed(cause);
				}
			}
		}
		if (failure != null) {
			// Fail fast as a sequential start would have, leaving nothing running behind
			// the failure.
			plugins.forEach(ManagedPluginClient::stop);
			this.running = false;
			throw failure;
		}
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return ManagedPluginClient.PHASE - 1;
	}

}
