package io.pluginrpc.sample.host;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginClientConfig;
import io.pluginrpc.host.PluginState;
import io.pluginrpc.reliability.ReliabilityRecord;
import io.pluginrpc.sample.plugin.InteropPeers;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.KVGrpc;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing outlives a plugin: its own children are killed with it, and hundreds of start/stop cycles
 * leave no thread, file descriptor, process or socket directory behind.
 */
class ProcessHygieneIT {

	private static final int CYCLES = 500;

	/** The clients' socket directories go here, so other processes' sockets cannot blur the count. */
	@TempDir
	Path sockets;

	@Test
	void killsTheChildrenAPluginSpawnedWhenItStops() throws Exception {
		Path goPlugin = InteropPeers.build().resolve("interop/build/bin/go-kv-plugin");
		// The shell starts a long-lived child, then becomes the plugin: the child is the plugin's descendant.
		PluginClient client = new PluginClient(config(List.of("/bin/sh", "-c", "sleep 600 & exec " + goPlugin), this.sockets));
		client.start();
		List<ProcessHandle> children = ProcessHandle.of(client.getPid()).orElseThrow().children().toList();
		assertThat(children).as("the plugin's child").isNotEmpty();
		long before = System.nanoTime();
		client.stop();
		assertThat(Duration.ofNanos(System.nanoTime() - before)).as("stop within stop-timeout + 1 s")
			.isLessThan(Duration.ofSeconds(3));
		for (ProcessHandle child : children) {
			child.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally((ex) -> null).join();
			assertThat(child.isAlive()).as("child %d of the plugin left running", child.pid()).isFalse();
		}
		ReliabilityRecord.put(ProcessHygieneIT.class, "childrenKilledOnStop.faults", 1);
	}

	@Test
	void startStopCyclesLeakNothing() throws Exception {
		Path goPlugin = InteropPeers.build().resolve("interop/build/bin/go-kv-plugin");
		PluginClient client = new PluginClient(config(List.of(goPlugin.toString()), this.sockets));
		cycle(client, 20);
		Snapshot before = Snapshot.take(this.sockets);
		cycle(client, CYCLES);
		Snapshot after = Snapshot.take(this.sockets);
		// Tolerances: a few pooled threads may come and go; fds and processes must be exactly back.
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
		// TMPDIR: go-plugin 1.0.1 ignores PLUGIN_UNIX_SOCKET_DIR and puts its socket in the temp directory.
		return new PluginClientConfig("hygiene", command, null, Map.of("TMPDIR", sockets.toString()), "BASIC_PLUGIN", "hello",
				Set.of(1), false, null, null, Duration.ofSeconds(30), Duration.ofSeconds(2), 10000, 25000, false, null, sockets);
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
