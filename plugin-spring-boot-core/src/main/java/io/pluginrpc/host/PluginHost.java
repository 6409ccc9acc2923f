package io.pluginrpc.host;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.pluginrpc.core.transport.Transports;

/**
 * What a host application shares across its plugins and must clean up once: the registry
 * of launched processes and socket paths with its orphan guard, the scheduler that runs
 * restarts, and the AutoMTLS certificate made ahead of the next launch. One per
 * application; {@link #close()} kills whatever plugin is still running and removes what
 * they left.
 * <p>
 * With Spring, the auto-configuration owns it and closes it with the application (after
 * the contexts, among Spring Boot's shutdown handlers). Without Spring, {@link #create()}
 * also installs a JVM shutdown hook as the safety net of a JVM that exits without closing
 * it.
 */
public final class PluginHost implements AutoCloseable {

	/**
	 * Shutdown hooks run concurrently: the application's own may be stopping plugins
	 * gracefully right now (Shutdown request, then stop-timeout), so the hook gives that
	 * a chance before killing what is left.
	 */
	private static final Duration HOOK_GRACE = Duration.ofSeconds(3);

	private final ProcessRegistry processes = new ProcessRegistry();

	private final CertificateSupply certificates = new CertificateSupply();

	private final ScheduledExecutorService scheduler = Executors
		.newSingleThreadScheduledExecutor(Transports.daemonThreads("plugin-supervisor"));

	private final Thread shutdownHook;

	private volatile boolean closed;

	private PluginHost(boolean shutdownHook) {
		this.shutdownHook = shutdownHook ? new Thread(() -> this.processes.killAll(HOOK_GRACE), "plugin-reaper") : null;
		if (this.shutdownHook != null) {
			Runtime.getRuntime().addShutdownHook(this.shutdownHook);
		}
	}

	/**
	 * @return a host for use without Spring, with a JVM shutdown hook that kills plugins
	 * left running
	 */
	public static PluginHost create() {
		return new PluginHost(true);
	}

	/**
	 * @return a host whose owner closes it at the end of the application (Spring Boot's
	 * shutdown handlers do, after the contexts are closed): no JVM shutdown hook of its
	 * own
	 */
	public static PluginHost createManaged() {
		return new PluginHost(false);
	}

	ProcessRegistry processes() {
		return this.processes;
	}

	CertificateSupply certificates() {
		return this.certificates;
	}

	ScheduledExecutorService scheduler() {
		return this.scheduler;
	}

	/**
	 * @return the orphan guard's pid, 0 while no plugin has been launched
	 */
	public long orphanGuardPid() {
		return this.processes.guardPid();
	}

	/**
	 * @return whether {@link #close()} was called
	 */
	public boolean isClosed() {
		return this.closed;
	}

	/**
	 * Kills every plugin still running with its descendants, removes the socket paths
	 * they left, and stops the host's threads and orphan guard. Stop plugins first
	 * ({@link PluginClient#stop()}) for a graceful end; this is the net behind it. Safe
	 * to call more than once.
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.scheduler.shutdownNow();
		this.processes.close();
		this.certificates.close();
		if (this.shutdownHook != null) {
			try {
				Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
			}
			catch (IllegalStateException ex) {
				// Called from another shutdown hook: the JVM is exiting and the hook ran
				// or runs anyway.
			}
		}
	}

}
