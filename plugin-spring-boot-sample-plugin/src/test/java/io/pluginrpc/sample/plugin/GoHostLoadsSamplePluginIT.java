package io.pluginrpc.sample.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.pluginrpc.sample.plugin.InteropPeers.GoPeer;
import io.pluginrpc.sample.plugin.InteropPeers.Run;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real Go hosts load the sample plugin jar. Our {@code go-host}, built against go-plugin
 * 1.0.1 and 1.6.3, runs a scenario: every check it prints must pass, and after its
 * {@code Kill()} the plugin process and its socket must be gone (the Go host checks
 * both); a 1.6.3 host also receives the plugin's stdout over GRPCStdio, once without and
 * once with gRPC broker multiplexing ({@code GRPCBrokerMultiplex}: go-plugin refuses a
 * plugin that does not answer {@code true} in the 7th handshake field, then carries every
 * connection, the Counter's callback to the host included, over one yamux session on the
 * plugin's listener). go-plugin 1.6.3's own example hosts, built unmodified, store and
 * read a value and add through the broker.
 */
class GoHostLoadsSamplePluginIT {

	/**
	 * go-plugin's example hosts keep go-plugin's default start timeout of one minute,
	 * which a Spring Boot JVM on a busy 2-core machine can come close to: C1 only roughly
	 * halves the CPU its start needs.
	 */
	private static final String QUICK_START = "-XX:TieredStopAtLevel=1";

	static Stream<Arguments> scenarios() {
		return InteropPeers.goPeers()
			.flatMap((peer) -> Stream.of("handshake", "kv", "counter")
				.flatMap((scenario) -> Stream.of(false, true)
					.map((autoMtls) -> Arguments.of(peer, scenario, autoMtls))));
	}

	@ParameterizedTest(name = "{0}: scenario {1}, AutoMTLS {2}")
	@MethodSource("scenarios")
	void goHostRunsTheScenario(GoPeer peer, String scenario, boolean autoMtls) {
		List<String> hostArgs = new ArrayList<>();
		if (autoMtls) {
			hostArgs.add("-automtls");
		}
		if (peer.grpcStdio()) {
			// The sample plugin prints this line on stdout once it serves; go-plugin 1.6
			// hosts receive it over GRPCStdio.
			hostArgs.addAll(List.of("-expect-stdout", "sample plugin ready"));
		}
		hostArgs.addAll(List.of("-scenario", scenario));
		String output = scenario.equals("counter") ? GoHost.runPassing(peer, hostArgs, "counter")
				: GoHost.runPassing(peer, hostArgs);
		assertThat(output)
			.contains("INFO go-plugin " + peer.version() + " host, AutoMTLS " + autoMtls + ", multiplex "
					+ peer.multiplex())
			.contains("INFO negotiated version 1, address ")
			.contains("PASS ping")
			.contains("PASS kill");
		if (peer.grpcStdio()) {
			assertThat(output).contains("PASS stdout over GRPCStdio").contains("STDOUT sample plugin ready");
		}
	}

	/**
	 * go-plugin's {@code examples/grpc} host as it ships ({@code kv put/get}, the plugin
	 * command in {@code KV_PLUGIN}, run through {@code sh -c}): a value put by one host
	 * process is read by the next, kept in the sample plugin's file store, and no plugin
	 * process outlives its host.
	 */
	@ParameterizedTest(name = "key {0}")
	@MethodSource("keys")
	void goPluginsGrpcExampleHostStoresAndReads(String key, @TempDir Path directory) {
		String marker = "-Dinterop.marker=" + UUID.randomUUID();
		Map<String, String> env = Map.of("KV_PLUGIN",
				shellCommand(javaExecutable(), QUICK_START, marker, "-jar", InteropPeers.samplePluginJar().toString()),
				"KV_DIRECTORY", directory.resolve("store").toString());
		String kv = InteropPeers.example("kv").toString();
		Run put = InteropPeers.run(List.of(kv, "put", key, "hello from the examples host"), env, directory, 300);
		assertThat(put.exitValue()).as(put.transcript()).isZero();
		assertThat(put.output()).as(put.transcript()).doesNotContainPattern("(?m)^error: ");
		assertNoPluginLeft(marker);
		Run get = InteropPeers.run(List.of(kv, "get", key), env, directory, 300);
		assertThat(get.exitValue()).as(get.transcript()).isZero();
		assertThat(get.output().lines()).as(get.transcript()).contains("hello from the examples host");
		assertNoPluginLeft(marker);
		assertThat(directory.resolve("store")).as("the value lives in the sample plugin's file store (KV_DIRECTORY)")
			.isNotEmptyDirectory();
	}

	static Stream<String> keys() {
		return Stream.of("hello", "a key with spaces");
	}

	/**
	 * go-plugin's {@code examples/bidirectional} host as it ships ({@code counter put},
	 * the plugin in {@code COUNTER_PLUGIN}): its Put serves AddHelper through the broker
	 * and the sample plugin dials it; the host exits 0 and prints nothing only if that
	 * callback worked. (The sample plugin keeps counters in memory, so a later
	 * {@code counter get} in a new process would read 0: Put is what is under test.)
	 */
	@ParameterizedTest(name = "put {0}")
	@MethodSource("values")
	void goPluginsBidirectionalExampleHostAddsThroughTheBroker(int value, @TempDir Path directory) {
		String marker = "-Dinterop.marker=" + UUID.randomUUID();
		Map<String, String> env = Map.of("COUNTER_PLUGIN", shellCommand(javaExecutable(), QUICK_START, marker, "-jar",
				InteropPeers.samplePluginJar().toString(), "counter"));
		Run put = InteropPeers.run(
				List.of(InteropPeers.example("counter").toString(), "put", "c", Integer.toString(value)), env,
				directory, 300);
		assertThat(put.exitValue()).as(put.transcript()).isZero();
		assertThat(put.output()).as(put.transcript()).doesNotContainPattern("(?m)^Error: ");
		assertNoPluginLeft(marker);
	}

	static Stream<Integer> values() {
		return Stream.of(5, -7);
	}

	/**
	 * Waits (bounded) until no process carries the marker any more: the example host's
	 * Kill() ended the plugin.
	 */
	private static void assertNoPluginLeft(String marker) {
		PluginProcess.awaitTrue(Duration.ofSeconds(30), "no sample plugin process with " + marker, () -> ProcessHandle
			.allProcesses()
			.noneMatch((p) -> p.info().commandLine().map((c) -> c.contains(marker)).orElse(false) && isRunning(p)));
	}

	private static String javaExecutable() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/**
	 * @return whether the process exists and is not a zombie (exited, not yet reaped)
	 */
	private static boolean isRunning(ProcessHandle process) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
			return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * @return the words as one {@code sh -c} command line, each single-quoted
	 */
	private static String shellCommand(String... words) {
		return Stream.of(words).map((w) -> "'" + w.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
	}

}
