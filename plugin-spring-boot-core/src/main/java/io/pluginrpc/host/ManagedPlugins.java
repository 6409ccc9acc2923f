package io.pluginrpc.host;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.pluginrpc.core.transport.SocketDirectory;
import io.pluginrpc.core.transport.SocketFile;

/**
 * Every plugin process this JVM launched, killed with its descendants and process group by one JVM shutdown hook: a host
 * that exits without closing its application context (System.exit, SIGTERM during start-up) still
 * leaves no orphans. The graceful path (Shutdown RPC) is the context's job; this is the safety net, and
 * the {@link OrphanGuard} is the one for a JVM killed outright. Both also remove the socket paths
 * registered here once the plugins are dead: our private socket directories and plugins' sockets.
 */
final class ManagedPlugins {

	private static final Set<ProcessHandle> processes = ConcurrentHashMap.newKeySet();

	/** The registered processes that lead their own process group. */
	private static final Set<ProcessHandle> groupLeaders = ConcurrentHashMap.newKeySet();

	/** Registered socket paths: id for the guard, and whether it is one of our directories. */
	private record GuardedPath(long id, boolean directory) {
	}

	private static final Map<Path, GuardedPath> paths = new ConcurrentHashMap<>();

	private static final AtomicLong ids = new AtomicLong();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(ManagedPlugins::killAll, "plugin-reaper"));
	}

	private ManagedPlugins() {
	}

	/**
	 * @param process a plugin
	 * @param groupLeader whether it leads its own process group, killed with it
	 */
	static void register(ProcessHandle process, boolean groupLeader) {
		processes.add(process);
		if (groupLeader) {
			groupLeaders.add(process);
		}
		OrphanGuard.guard(process.pid(), groupLeader);
	}

	static void unregister(ProcessHandle process) {
		groupLeaders.remove(process);
		if (processes.remove(process)) {
			OrphanGuard.release(process.pid());
		}
	}

	/**
	 * Removes the path when the JVM dies or exits with it still registered.
	 * @param path a private socket directory of ours ({@code directory}) or a plugin's socket
	 * @param directory whether the path is a directory of ours, removed with its content; otherwise it is
	 * removed only if it is a socket
	 */
	static void registerPath(Path path, boolean directory) {
		GuardedPath guarded = new GuardedPath(ids.incrementAndGet(), directory);
		GuardedPath previous = paths.put(path, guarded);
		if (previous != null) {
			OrphanGuard.releasePath(previous.id(), previous.directory());
		}
		OrphanGuard.guardPath(guarded.id(), path, directory);
	}

	/** @param path a registered path that is removed or no longer ours to remove */
	static void unregisterPath(Path path) {
		GuardedPath guarded = paths.remove(path);
		if (guarded != null) {
			OrphanGuard.releasePath(guarded.id(), guarded.directory());
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
			if (groupLeaders.contains(process)) {
				ProcessGroup.kill(process.pid());
			}
		}
		paths.forEach((path, guarded) -> {
			if (guarded.directory()) {
				SocketDirectory.deleteRecursively(path);
			}
			else {
				SocketFile.deleteIfSocket(path);
			}
		});
	}

}
