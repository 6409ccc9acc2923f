package io.pluginrpc.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.pluginrpc.core.transport.SocketDirectory;
import io.pluginrpc.core.transport.SocketFile;

/**
 * Every plugin process a {@link PluginHost} launched and every socket path it must not
 * leave behind: the safety net behind the graceful stop. {@link #killAll} kills what is
 * still registered, with descendants and process groups, and removes the paths; the
 * {@link OrphanGuard} does the same if the JVM is killed outright.
 */
final class ProcessRegistry {

	private final Set<ProcessHandle> processes = ConcurrentHashMap.newKeySet();

	/** The registered processes that lead their own process group. */
	private final Set<ProcessHandle> groupLeaders = ConcurrentHashMap.newKeySet();

	/**
	 * Registered socket paths: id for the guard, and whether it is one of our
	 * directories.
	 */
	private record GuardedPath(long id, boolean directory) {
	}

	private final Map<Path, GuardedPath> paths = new ConcurrentHashMap<>();

	private final AtomicLong ids = new AtomicLong();

	private final OrphanGuard guard = new OrphanGuard();

	/**
	 * @param process a plugin
	 * @param groupLeader whether it leads its own process group, killed with it
	 */
	void register(ProcessHandle process, boolean groupLeader) {
		this.processes.add(process);
		if (groupLeader) {
			this.groupLeaders.add(process);
		}
		this.guard.guard(process.pid(), groupLeader);
	}

	void unregister(ProcessHandle process) {
		this.groupLeaders.remove(process);
		if (this.processes.remove(process)) {
			this.guard.release(process.pid());
		}
	}

	/**
	 * Removes the path when the host closes or the JVM dies with it still registered.
	 * @param path a private socket directory of ours ({@code directory}) or a plugin's
	 * socket
	 * @param directory whether the path is a directory of ours, removed with its content;
	 * otherwise it is removed only if it is a socket
	 */
	void registerPath(Path path, boolean directory) {
		GuardedPath guarded = new GuardedPath(this.ids.incrementAndGet(), directory);
		GuardedPath previous = this.paths.put(path, guarded);
		if (previous != null) {
			this.guard.releasePath(previous.id(), previous.directory());
		}
		this.guard.guardPath(guarded.id(), path, directory);
	}

	/**
	 * @param path a registered path that is removed or no longer ours to remove
	 */
	void unregisterPath(Path path) {
		GuardedPath guarded = this.paths.remove(path);
		if (guarded != null) {
			this.guard.releasePath(guarded.id(), guarded.directory());
		}
	}

	/**
	 * @return the orphan guard's pid, 0 before it is started
	 */
	long guardPid() {
		return this.guard.pid();
	}

	/**
	 * Kills every registered process (with descendants and group) and removes every
	 * registered path.
	 * @param grace how long processes may still take to exit on their own first: a stop
	 * in progress elsewhere (another shutdown hook) gets that chance
	 */
	void killAll(Duration grace) {
		long deadline = System.nanoTime() + grace.toNanos();
		for (ProcessHandle process : List.copyOf(this.processes)) {
			long left = deadline - System.nanoTime();
			if (left > 0) {
				process.onExit().completeOnTimeout(process, left, TimeUnit.NANOSECONDS).join();
			}
		}
		for (ProcessHandle process : List.copyOf(this.processes)) {
			List<ProcessHandle> descendants = process.descendants().toList();
			process.destroyForcibly();
			descendants.forEach(ProcessHandle::destroyForcibly);
			if (this.groupLeaders.contains(process)) {
				ProcessGroup.kill(process.pid());
			}
			unregister(process);
		}
		this.paths.forEach((path, guarded) -> {
			if (guarded.directory()) {
				SocketDirectory.deleteRecursively(path);
			}
			else {
				SocketFile.deleteIfSocket(path);
			}
			unregisterPath(path);
		});
	}

	/** Kills what is left and ends the orphan guard: nothing is registered any more. */
	void close() {
		killAll(Duration.ZERO);
		this.guard.close();
	}

}
