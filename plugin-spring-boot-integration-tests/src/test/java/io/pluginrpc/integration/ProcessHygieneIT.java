package io.pluginrpc.integration;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginClientConfig;
import io.pluginrpc.host.PluginEventListener;
import io.pluginrpc.host.PluginState;
import io.pluginrpc.host.RestartPolicy;
import io.pluginrpc.reliability.ReliabilityRecord;
import io.pluginrpc.sample.plugin.InteropPeers;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.KVGrpc;
import io.pluginrpc.sample.proto.PutRequest;
import io.pluginrpc.testing.MarkedSleeps;
import io.pluginrpc.testing.Processes;
import io.pluginrpc.testing.TestHost;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing outlives a plugin: its children and grandchildren are killed with it, whether
 * it is stopped or crashes (its process group holds them even once they are re-parented),
 * and hundreds of start/stop cycles leave no thread, file descriptor, process or socket
 * directory behind.
 */
class ProcessHygieneIT {

	private static final int CYCLES = 500;

	/**
	 * The clients' socket directories go here, so other processes' sockets cannot blur
	 * the count.
	 */
	@TempDir
	Path sockets;

	/** What test plugins spawn, killed after each test whatever happened. */
	private final MarkedSleeps sleeps = new MarkedSleeps();

	@AfterEach
	void noSleepIsLeft() {
		List<ProcessHandle> left = this.sleeps.alive();
		this.sleeps.killAll();
		assertThat(left).as("processes the test plugins spawned, left running").isEmpty();
	}

	@Test
	void killsTheChildrenAPluginSpawnedWhenItStops() throws Exception {
		Path goPlugin = InteropPeers.build().resolve("interop/build/bin/go-kv-plugin");
		// The shell starts long-lived processes, then becomes the plugin: a child, a
		// grandchild and one that
		// is the plugin's descendant no more (its parent exited at once), which only its
		// process group finds.
		PluginClient client = new PluginClient(
				config(List.of("/bin/sh", "-c", this.sleeps.family() + "exec " + goPlugin), this.sockets),
				TestHost.SHARED);
		client.start();
		List<ProcessHandle> spawned = this.sleeps.await(4);
		List<ProcessHandle> children = ProcessHandle.of(client.getPid()).orElseThrow().children().toList();
		assertThat(children).as("the plugin's children").isNotEmpty();
		client.stop();
		assertThat(client.getState()).isEqualTo(PluginState.STOPPED);
		MarkedSleeps.assertGone(children, "the plugin's children after stop");
		MarkedSleeps.assertGone(spawned, "what the plugin spawned, after stop");
		ReliabilityRecord.put(ProcessHygieneIT.class, "childrenKilledOnStop.faults", 1);
	}

	/**
	 * A crashed plugin's children are re-parented to init before the host notices; its
	 * process group still holds them, and the host kills it before the supervised
	 * restart: nothing of the old plugin survives.
	 */
	@Test
	void aPluginKilledFromOutsideTakesItsDescendantsAlongBeforeItIsRestarted() throws Exception {
		Path goPlugin = InteropPeers.build().resolve("interop/build/bin/go-kv-plugin");
		List<ProcessHandle> oldOnes = new CopyOnWriteArrayList<>();
		List<String> aliveAtRestart = new CopyOnWriteArrayList<>();
		PluginEventListener events = new PluginEventListener() {
			@Override
			public void restarting(String plugin) {
				oldOnes.stream()
					.filter(MarkedSleeps::isRunning)
					.forEach((p) -> aliveAtRestart.add(p.pid() + " " + p.info().commandLine().orElse("?")));
			}
		};
		PluginClient client = new PluginClient(
				config(List.of("/bin/sh", "-c", this.sleeps.family() + "exec " + goPlugin), this.sockets),
				TestHost.SHARED,
				new RestartPolicy(true, Duration.ofSeconds(1), Duration.ofSeconds(1), 1.0, -1, Duration.ZERO), events,
				List.of());
		try {
			client.start();
			long firstPid = client.getPid();
			oldOnes.addAll(this.sleeps.await(4));
			ProcessHandle plugin = ProcessHandle.of(firstPid).orElseThrow();
			oldOnes.add(plugin);

			plugin.destroyForcibly();
			MarkedSleeps.assertGone(oldOnes, "the killed plugin and what it spawned");

			waitFor(() -> client.getState() == PluginState.RUNNING && client.getRestarts() == 1, "the restart");
			assertThat(aliveAtRestart).as("processes of the crashed plugin alive when it was restarted").isEmpty();
			assertThat(client.getPid()).isNotEqualTo(firstPid);
			KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(client.channel()).withDeadlineAfter(30, TimeUnit.SECONDS);
			kv.put(PutRequest.newBuilder().setKey("k").setValue(ByteString.copyFromUtf8("restarted")).build());
			assertThat(kv.get(GetRequest.newBuilder().setKey("k").build()).getValue().toStringUtf8())
				.as("the restarted plugin serves")
				.isEqualTo("restarted");
			List<ProcessHandle> newOnes = this.sleeps.await(4);
			assertThat(newOnes).as("the restarted plugin's own").doesNotContainAnyElementsOf(oldOnes);

			client.stop();
			MarkedSleeps.assertGone(newOnes, "what the restarted plugin spawned, after stop");
			ReliabilityRecord.put(ProcessHygieneIT.class, "descendantsKilledBeforeRestart.faults", 1);
		}
		finally {
			client.stop();
		}
	}

	/**
	 * A child that moved to a session (and group) of its own is out of reach of the group
	 * kill; on stop the snapshot of the plugin's descendants still finds it, as before
	 * process groups.
	 */
	@Test
	void aChildThatLeftThePluginsGroupIsStillKilledWhenThePluginStops() throws Exception {
		Path goPlugin = InteropPeers.build().resolve("interop/build/bin/go-kv-plugin");
		PluginClient client = new PluginClient(
				config(List.of("/bin/sh", "-c", this.sleeps.ownSession() + "exec " + goPlugin), this.sockets),
				TestHost.SHARED);
		client.start();
		List<ProcessHandle> spawned = this.sleeps.await(1);
		assertThat(processGroup(spawned.get(0).pid())).as("the child's group").isEqualTo(spawned.get(0).pid());
		assertThat(processGroup(client.getPid())).as("the plugin's group").isEqualTo(client.getPid());
		client.stop();
		MarkedSleeps.assertGone(spawned, "the child in a session of its own, after stop");
		ReliabilityRecord.put(ProcessHygieneIT.class, "childOutsideTheGroupKilledOnStop.faults", 1);
	}

	/**
	 * @return field 5 of /proc/[pid]/stat
	 */
	private static long processGroup(long pid) throws Exception {
		String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
		return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
	}

	private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
		Instant deadline = Instant.now().plus(Processes.HANG_GUARD);
		while (!condition.getAsBoolean()) {
			if (Instant.now().isAfter(deadline)) {
				throw new AssertionError("Waited " + Processes.HANG_GUARD.toSeconds() + " s for " + what);
			}
			Thread.sleep(20);
		}
	}

	@Test
	void startStopCyclesLeakNothing() throws Exception {
		Path goPlugin = InteropPeers.build().resolve("interop/build/bin/go-kv-plugin");
		PluginClient client = new PluginClient(config(List.of(goPlugin.toString()), this.sockets), TestHost.SHARED);
		cycle(client, 20);
		Snapshot before = Snapshot.take(this.sockets);
		cycle(client, CYCLES);
		Snapshot after = Snapshot.take(this.sockets);
		// Tolerances: a few pooled threads may come and go; fds and processes must be
		// exactly back.
		assertThat(after.threads).as("threads").isLessThanOrEqualTo(before.threads + 5);
		assertThat(after.fds).as("file descriptors").isLessThanOrEqualTo(before.fds + 5);
		assertThat(after.children).as("child processes (the orphan guard lives in both)").isEqualTo(before.children);
		assertThat(after.socketDirs).as("socket directories and sockets").isZero();
		assertThat(after.heapBytes).as("heap after GC").isLessThan(before.heapBytes + 32L * 1024 * 1024);
		ReliabilityRecord.put(ProcessHygieneIT.class, "hygiene.cycles", CYCLES);
		ReliabilityRecord.put(ProcessHygieneIT.class, "hygiene.growth",
				"threads " + (after.threads - before.threads) + ", fds " + (after.fds - before.fds) + ", processes "
						+ (after.children - before.children) + ", socket dirs " + after.socketDirs + ", heap after GC "
						+ (after.heapBytes - before.heapBytes) / 1024 + " KiB");
	}

	private static void cycle(PluginClient client, int times) {
		for (int i = 0; i < times; i++) {
			client.start();
			KVGrpc.newBlockingStub(client.channel())
				.withDeadlineAfter(10, TimeUnit.SECONDS)
				.get(GetRequest.newBuilder().setKey("k").build());
			client.stop();
			assertThat(client.getState()).isEqualTo(PluginState.STOPPED);
		}
	}

	private static PluginClientConfig config(List<String> command, Path sockets) {
		// TMPDIR: go-plugin 1.0.1 ignores PLUGIN_UNIX_SOCKET_DIR and puts its socket in
		// the temp directory.
		return new PluginClientConfig("hygiene", command, null, Map.of("TMPDIR", sockets.toString()), "BASIC_PLUGIN",
				"hello", Set.of(1), false, null, null, Processes.HANG_GUARD, Duration.ofSeconds(2), 10000, 25000, false,
				null, sockets);
	}

	private record Snapshot(int threads, long fds, long children, long socketDirs, long heapBytes) {

		static Snapshot take(Path sockets) throws Exception {
			for (int i = 0; i < 3; i++) {
				System.gc();
				Thread.sleep(100);
			}
			long fds;
			try (var entries = Files.list(Path.of("/proc/self/fd"))) {
				fds = entries.count();
			}
			long socketDirs;
			try (var entries = Files.list(sockets)) {
				socketDirs = entries.count();
			}
			return new Snapshot(Thread.activeCount(), fds, ProcessHandle.current().children().count(), socketDirs,
					ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
		}

	}

}
