package io.pluginrpc.integration;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pluginrpc.core.Platform;
import io.pluginrpc.core.transport.SocketFile;
import io.pluginrpc.reliability.ReliabilityRecord;
import io.pluginrpc.sample.plugin.InteropPeers;
import io.pluginrpc.testing.MarkedSleeps;
import io.pluginrpc.testing.Processes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The host JVM is killed with SIGKILL, so it cannot stop anything: its Go, Python and
 * Java plugins, and what the Go plugin spawned, are all gone anyway (the orphan guard for
 * all of them, the Java plugin's own watchdog besides), and so are the socket files and
 * directories (the guard removes what the host and the Go plugin left).
 */
class HostKilledIT {

	/**
	 * Every plugin's sockets go here (socket-directory, and TMPDIR for go-plugin 1.0.1,
	 * which ignores PLUGIN_UNIX_SOCKET_DIR): a host killed outright cannot remove its
	 * socket directories, nor can a Go plugin killed by the guard remove its socket
	 * (go-plugin#119); the guard must.
	 */
	@TempDir
	Path sockets;

	/**
	 * What the Go plugin's shell spawns before it execs the plugin: a child, a
	 * grandchild, an orphan.
	 */
	private final MarkedSleeps sleeps = new MarkedSleeps();

	@Test
	void everyPluginDiesWithItsHost() throws Exception {
		killHostAndCheckPlugins();
	}

	private void killHostAndCheckPlugins() throws Exception {
		Path root = InteropPeers.build();
		// Without process groups (portable mode, as on macOS and Windows) a child
		// re-parented before the host
		// died is beyond reach: the Go plugin then spawns only descendants.
		boolean portable = Platform.isPortable();
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(List.of(java, "-jar",
				root.resolve("plugin-spring-boot-sample-host/target/plugin-spring-boot-sample-host-0.1.0-SNAPSHOT.jar")
					.toString(),
				"--server.port=0",
				"--plugins.kv.command=/bin/sh,-c," + (portable ? this.sleeps.descendants() : this.sleeps.family())
						+ "exec " + root.resolve("interop/build/bin/go-kv-plugin"),
				"--plugins.kv.socket-directory=" + this.sockets, "--plugins.kv.env.TMPDIR=" + this.sockets));
		command.addAll(
				plugin("py", "/usr/bin/python3," + root.resolve("interop/python/kv_plugin.py"), false, this.sockets));
		command.addAll(plugin("jv", java + ",-jar," + InteropPeers.samplePluginJar(), true, this.sockets));
		Process host = new ProcessBuilder(command).redirectErrorStream(true).start();
		try {
			BufferedReader output = new BufferedReader(
					new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
			List<String> seen = new CopyOnWriteArrayList<>();
			String started = CompletableFuture
				.supplyAsync(() -> output.lines()
					.peek(seen::add)
					.filter((line) -> line.contains("Started SampleHostApplication")
							|| line.contains("APPLICATION FAILED"))
					.findFirst()
					.orElse("(no output)"))
				.get(Processes.HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
			assertThat(started).as("the sample host's output:%n%s", String.join("\n", seen))
				.contains("Started SampleHostApplication");
			CompletableFuture.runAsync(() -> output.lines().forEach((line) -> {
			}));
			List<ProcessHandle> spawned = this.sleeps.await(portable ? 3 : 4);
			List<ProcessHandle> children = host.descendants().toList();
			assertThat(children.stream().map((p) -> p.info().command().orElse("?"))).as("plugins and the guard")
				.hasSizeGreaterThanOrEqualTo(4);

			assertThat(socketFiles()).as("the Go plugin's socket (in TMPDIR) and each plugin's private directory")
				.anySatisfy((file) -> assertThat(file).endsWith(" socket"))
				.filteredOn((file) -> file.endsWith(" directory"))
				.hasSize(3);

			host.destroyForcibly();
			// How soon they go is for benchmarks; the bound only guards against a hang.
			MarkedSleeps.assertGone(children, "plugins and guard of the killed host");
			// Including (unless portable) the one re-parented to init long ago: only the
			// Go plugin's process group holds it.
			MarkedSleeps.assertGone(spawned, "what the Go plugin spawned, after its host was killed");
			// The guard removes the paths right after the kills.
			Instant deadline = Instant.now().plus(Processes.HANG_GUARD);
			while (!socketFiles().isEmpty() && Instant.now().isBefore(deadline)) {
				Thread.sleep(20);
			}
			assertThat(socketFiles()).as("socket files and directories after the host was killed").isEmpty();
			ReliabilityRecord.put(HostKilledIT.class, "hostKilled.faults", 1);
			ReliabilityRecord.put(HostKilledIT.class, "hostKilled.processesGone", children.size());
		}
		finally {
			host.descendants().forEach(ProcessHandle::destroyForcibly);
			host.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			this.sleeps.killAll();
		}
	}

	/**
	 * @return what is in the socket directory, each as "name socket|directory|file"
	 */
	private List<String> socketFiles() throws IOException {
		try (Stream<Path> entries = Files.list(this.sockets)) {
			return entries
				.map((path) -> path.getFileName()
						+ (Files.isDirectory(path) ? " directory" : SocketFile.isSocket(path) ? " socket" : " file"))
				.toList();
		}
	}

	private static List<String> plugin(String name, String command, boolean autoMtls, Path sockets) {
		String prefix = "--plugins." + name + ".";
		// A service other than KV, so the sample's unqualified KV stub stays unambiguous;
		// only health is used.
		return List.of(prefix + "command=" + command, prefix + "handshake.cookie-key=BASIC_PLUGIN",
				prefix + "handshake.cookie-value=hello",
				prefix + "protocol-versions.1=io.pluginrpc.sample.proto.CounterGrpc", prefix + "auto-mtls=" + autoMtls,
				prefix + "socket-directory=" + sockets,
				// The JVM plugin took 50-60 s to start on a loaded 2-core machine: a
				// bound against a hang only.
				prefix + "start-timeout=5m");
	}

}
