package io.pluginrpc.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Long sleeps a test plugin's shell starts before it execs the real plugin, found by a
 * sleep duration no other process uses, wherever they were re-parented: a test sees a
 * plugin's descendants even after the plugin is dead. The scripts hold no commas, so they
 * survive a comma-separated command property.
 */
public final class MarkedSleeps {

	private final String marker = "6000." + ThreadLocalRandom.current().nextInt(100_000, 1_000_000);

	/**
	 * @return shell commands that start a child, a grandchild below a shell (which also
	 * counts) and a sleep whose parent exits at once, so it is re-parented to init from
	 * the start: 4 processes
	 */
	public String family() {
		return "sleep " + this.marker + " & sh -c 'sleep " + this.marker + "; :' & (sleep " + this.marker + " &); ";
	}

	/**
	 * @return shell commands that start a child and a grandchild below a shell: 3
	 * processes that stay descendants of the plugin (all that is found without process
	 * groups: macOS, Windows, portable mode)
	 */
	public String descendants() {
		return "sleep " + this.marker + " & sh -c 'sleep " + this.marker + "; :' & ";
	}

	/**
	 * @return a shell command that starts a child in a session (and group) of its own: 1
	 * process
	 */
	public String ownSession() {
		return "setsid sleep " + this.marker + " & ";
	}

	/**
	 * @return the live processes that run {@code sleep <marker>} or the shell around one
	 */
	public List<ProcessHandle> alive() {
		return ProcessHandle.allProcesses().filter((process) -> {
			try {
				String cmdline = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"),
						StandardCharsets.ISO_8859_1);
				return isRunning(process) && (cmdline.equals("sleep\0" + this.marker + "\0")
						|| cmdline.equals("sh\0-c\0sleep " + this.marker + "; :\0"));
			}
			catch (Exception ex) {
				// Gone meanwhile.
				return false;
			}
		}).toList();
	}

	/**
	 * @param count how many to wait for (the shell forks them in the background)
	 * @return them, once that many run (waits at most {@link Processes#HANG_GUARD})
	 */
	public List<ProcessHandle> await(int count) throws InterruptedException {
		Instant deadline = Instant.now().plus(Processes.HANG_GUARD);
		List<ProcessHandle> alive = alive();
		while (alive.size() < count && Instant.now().isBefore(deadline)) {
			Thread.sleep(20);
			alive = alive();
		}
		assertThat(alive).as("marked sleeps %s", this.marker).hasSize(count);
		return alive;
	}

	/**
	 * @param processes processes that must end
	 * @param what what they are, for the failure message
	 * @see Processes#awaitGone(java.util.Collection, String)
	 */
	public static void assertGone(List<ProcessHandle> processes, String what) throws InterruptedException {
		Processes.awaitGone(processes, what);
	}

	/**
	 * @param process a process
	 * @return whether it still runs: a zombie does not, though
	 * {@link ProcessHandle#isAlive()} says so until its parent reaps it (init may take
	 * seconds, as on this project's CI machine)
	 */
	public static boolean isRunning(ProcessHandle process) {
		return Processes.isRunning(process);
	}

	/** Kills whatever a failed test left. */
	public void killAll() {
		alive().forEach(ProcessHandle::destroyForcibly);
	}

}
