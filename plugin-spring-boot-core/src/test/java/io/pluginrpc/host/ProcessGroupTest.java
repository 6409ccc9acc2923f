package io.pluginrpc.host;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.pluginrpc.testing.Processes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real processes launched through {@code setsid}: the plugin keeps the pid the JVM sees
 * and leads its own session and group, and killing the group reaches children that were
 * re-parented when it died.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ProcessGroupTest {

	/** A sleep duration no other process uses, to find the test's own sleeps. */
	private final String marker = "6000." + ThreadLocalRandom.current().nextInt(100_000, 1_000_000);

	private Process process;

	@BeforeEach
	void setsidIsThere() {
		// Never a silent skip: this Linux-only test needs util-linux setsid and /proc
		// (Debian installs both).
		assertThat(ProcessGroup.available()).as("util-linux setsid on the PATH and /proc (install util-linux)")
			.isTrue();
	}

	@AfterEach
	void killEverything() {
		if (this.process != null) {
			this.process.destroyForcibly();
			ProcessGroup.kill(this.process.pid());
		}
		assertThat(sleeps()).as("the test's sleeps left running").isEmpty();
	}

	@Test
	void thePluginKeepsItsPidAndLeadsItsOwnSessionAndGroup() throws Exception {
		List<String> command = ProcessGroup.inNewSession("p",
				List.of("/bin/sh", "-c", "echo ready; exec sleep " + this.marker), null);
		this.process = new ProcessBuilder(command).start();
		awaitReady();
		long pid = this.process.pid();
		String[] stat = stat(pid);
		assertThat(stat[0]).as("state of %d", pid).isNotEqualTo("Z");
		assertThat(stat[2]).as("process group").isEqualTo(Long.toString(pid));
		assertThat(stat[3]).as("session").isEqualTo(Long.toString(pid));
		await(() -> sleeps().stream().anyMatch((p) -> p.pid() == pid),
				"the plugin, no setsid, to run sleep under pid " + pid);
		assertThat(ProcessGroup.members(pid)).extracting(ProcessHandle::pid).containsExactly(pid);
	}

	@Test
	void killingTheGroupReachesChildrenReparentedWhenThePluginDied() throws Exception {
		String script = "sleep " + this.marker + " & sh -c 'sleep " + this.marker + "; :' & (sleep " + this.marker
				+ " &); echo ready; exec sleep 600";
		this.process = new ProcessBuilder(ProcessGroup.inNewSession("p", List.of("/bin/sh", "-c", script), null))
			.start();
		awaitReady();
		long pid = this.process.pid();
		// A child, a grandchild below a shell, and one whose parent exited at once.
		await(() -> sleeps().size() == 4, "the marked sleeps and the shell around one");
		this.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
		List<ProcessHandle> orphans = sleeps();
		assertThat(orphans).as("children outlive the plugin, no longer its descendants").hasSize(4);
		assertThat(ProcessGroup.members(pid)).as("but still in its group").containsAll(orphans);

		assertThat(ProcessGroup.kill(pid)).isGreaterThanOrEqualTo(4);
		assertThat(ProcessGroup.members(pid)).isEmpty();
		Processes.awaitGone(orphans, "the group's re-parented members after the group kill");
	}

	@Test
	void aBareNameIsResolvedOnTheHostsPathAndAMissingExecutableIsLaunchedDirectly() {
		List<String> command = ProcessGroup.inNewSession("p", List.of("sh", "-c", "exit 0"), null);
		assertThat(command).hasSize(5);
		assertThat(command.get(0)).endsWith("/setsid");
		assertThat(command.get(1)).isEqualTo("--");
		assertThat(command.get(2)).startsWith("/").endsWith("/sh");
		assertThat(command.subList(3, 5)).containsExactly("-c", "exit 0");
		assertThat(ProcessGroup.inNewSession("p", List.of("./relative/plugin", "a"), null)).as("not resolvable")
			.isNull();
		assertThat(ProcessGroup.inNewSession("p", List.of("/no/such/plugin"), null)).isNull();
	}

	private void awaitReady() throws Exception {
		BufferedReader out = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8));
		assertThat(out.readLine()).isEqualTo("ready");
	}

	/**
	 * @return the live processes that run {@code sleep <marker>} or the shell around one
	 */
	private List<ProcessHandle> sleeps() {
		return ProcessHandle.allProcesses().filter((p) -> {
			try {
				String cmdline = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"),
						StandardCharsets.ISO_8859_1);
				return Processes.isRunning(p) && (cmdline.equals("sleep\0" + this.marker + "\0")
						|| cmdline.equals("sh\0-c\0sleep " + this.marker + "; :\0"));
			}
			catch (Exception ex) {
				return false;
			}
		}).toList();
	}

	private static String[] stat(long pid) throws Exception {
		String text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
		return text.substring(text.lastIndexOf(')') + 2).split(" ");
	}

	private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("waited 30 s for %s", what).isLessThan(deadline);
			Thread.sleep(10);
		}
	}

}
