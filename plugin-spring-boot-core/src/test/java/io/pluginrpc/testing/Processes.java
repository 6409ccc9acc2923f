package io.pluginrpc.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Whether a test's processes are gone, as the tests of every module check it (shared
 * through this module's test-jar). {@link ProcessHandle#isAlive()} is true for a zombie
 * until its parent reaps it (init may take seconds on a busy machine): a process that has
 * exited must count as gone. Waits are bounded only against a hang: how soon a process
 * goes is for benchmarks to measure, not tests.
 */
public final class Processes {

	/**
	 * The bound of every wait here: far beyond any healthy exit, reached only by a hang,
	 * even on a machine running several builds at once (a plugin JVM has been seen to
	 * take over a minute to start there).
	 */
	public static final Duration HANG_GUARD = Duration.ofMinutes(5);

	private Processes() {
	}

	/**
	 * @param process a process
	 * @return whether it still runs: neither a zombie nor gone
	 */
	public static boolean isRunning(ProcessHandle process) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"),
					StandardCharsets.ISO_8859_1);
			char state = stat.charAt(stat.lastIndexOf(')') + 2);
			// isAlive() also compares the start time, so a reused pid is not mistaken for
			// the process.
			return state != 'Z' && state != 'X' && process.isAlive();
		}
		catch (NoSuchFileException ex) {
			return false;
		}
		catch (IOException ex) {
			// A process reaped while its stat file is read fails the read with ESRCH, not
			// "no such file".
			if (!process.isAlive()) {
				return false;
			}
			throw new IllegalStateException("Cannot read the state of process " + process.pid(), ex);
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("Cannot parse the state of process " + process.pid(), ex);
		}
	}

	/**
	 * @param pid a process id
	 * @return whether a process of that id runs
	 */
	public static boolean isRunning(long pid) {
		return ProcessHandle.of(pid).map(Processes::isRunning).orElse(false);
	}

	/**
	 * Waits until the processes stop running, at most {@link #HANG_GUARD}.
	 * @param processes the processes
	 * @param what what they are, for the failure message
	 * @throws AssertionError naming the ones still running after that
	 */
	public static void awaitGone(Collection<ProcessHandle> processes, String what) throws InterruptedException {
		long deadline = System.nanoTime() + HANG_GUARD.toNanos();
		for (ProcessHandle process : processes) {
			while (isRunning(process) && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
		}
		List<String> running = processes.stream()
			.filter(Processes::isRunning)
			.map((p) -> p.pid() + " (" + p.info().commandLine().orElse("?") + ")")
			.toList();
		if (!running.isEmpty()) {
			throw new AssertionError(what + " still running " + HANG_GUARD.toSeconds() + " s later: " + running);
		}
	}

	/**
	 * @param pid a process id
	 * @param what what it is, for the failure message
	 * @see #awaitGone(Collection, String)
	 */
	public static void awaitGone(long pid, String what) throws InterruptedException {
		ProcessHandle.of(pid).ifPresent((process) -> {
			try {
				awaitGone(List.of(process), what + " (pid " + pid + ")");
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("Interrupted while waiting for " + what + " to end", ex);
			}
		});
	}

}
