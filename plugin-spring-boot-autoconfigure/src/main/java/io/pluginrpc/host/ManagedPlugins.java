package io.pluginrpc.host;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every plugin process this JVM launched, killed with its descendants by one JVM shutdown hook: a host
 * that exits without closing its application context (System.exit, SIGTERM during start-up) still
 * leaves no orphans. The graceful path (Shutdown RPC) is the context's job; this is the safety net, and
 * the {@link OrphanGuard} is the one for a JVM killed outright.
 */
final class ManagedPlugins {

	private static final Set<ProcessHandle> processes = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(ManagedPlugins::killAll, "plugin-reaper"));
	}

	private ManagedPlugins() {
	}

	static void register(ProcessHandle process) {
		processes.add(process);
		OrphanGuard.guard(process.pid());
	}

	static void unregister(ProcessHandle process) {
		if (processes.remove(process)) {
			OrphanGuard.release(process.pid());
		}
	}

	/**
	 * JVM shutdown hooks run concurrently: Spring's may be stopping these plugins gracefully right now
	 * (Shutdown request, then stop-timeout), so give that a chance before killing what is left.
	 */
	private static final long GRACE_MILLIS = 3000;

	private static void killAll() {
		long deadline = System.currentTimeMillis() + GRACE_MILLIS;
		for (ProcessHandle process : List.copyOf(processes)) {
			long left = deadline - System.currentTimeMillis();
			if (left > 0) {
				process.onExit().completeOnTimeout(process, left, java.util.concurrent.TimeUnit.MILLISECONDS).join();
			}
		}
		for (ProcessHandle process : List.copyOf(processes)) {
			List<ProcessHandle> descendants = process.descendants().toList();
			process.destroyForcibly();
			descendants.forEach(ProcessHandle::destroyForcibly);
		}
	}

}
