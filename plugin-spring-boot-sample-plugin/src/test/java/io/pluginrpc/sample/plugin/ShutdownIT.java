package io.pluginrpc.sample.plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import org.junit.jupiter.api.Test;

import io.pluginrpc.proto.plugin.Empty;
import io.pluginrpc.proto.plugin.GRPCControllerGrpc;
import io.pluginrpc.testing.Processes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the plugin ends: on the host's Shutdown call and on SIGTERM it exits and removes
 * its socket directory; SIGINT, which a terminal sends to the whole process group, it
 * ignores like go-plugin.
 */
class ShutdownIT {

	/** Against a hang only: how soon the plugin exits is for benchmarks. */
	private static final Duration EXIT_LIMIT = Processes.HANG_GUARD;

	@Test
	void shutdownCallAnswersThenThePluginExitsWithStatusZeroAndCleansUp() {
		try (PluginProcess plugin = PluginProcess.start(PluginProcess.hostEnvironment())) {
			Path socketDirectory = plugin.socketDirectory();
			assertThat(socketDirectory).isDirectory();
			ManagedChannel channel = plugin.channel(null);
			Empty reply = GRPCControllerGrpc.newBlockingStub(channel)
				.withDeadlineAfter(30, TimeUnit.SECONDS)
				.shutdown(Empty.getDefaultInstance());
			assertThat(reply).isEqualTo(Empty.getDefaultInstance());
			assertThat(plugin.awaitExit(EXIT_LIMIT)).isZero();
			assertThat(socketDirectory).doesNotExist();
			assertThat(plugin.tmpdir()).isEmptyDirectory();
		}
	}

	@Test
	void sigtermStopsThePluginAndRemovesItsSocketDirectory() {
		try (PluginProcess plugin = PluginProcess.start(PluginProcess.hostEnvironment())) {
			Path socketDirectory = plugin.socketDirectory();
			assertThat(socketDirectory).isDirectory();
			plugin.process().destroy();
			// 128 + SIGTERM: the JVM ran its shutdown hooks and then ended as the signal
			// asks.
			assertThat(plugin.awaitExit(EXIT_LIMIT)).isEqualTo(143);
			assertThat(socketDirectory).doesNotExist();
			assertThat(plugin.tmpdir()).isEmptyDirectory();
		}
	}

	@Test
	void sigintIsIgnored() throws Exception {
		try (PluginProcess plugin = PluginProcess.start(PluginProcess.hostEnvironment())) {
			ManagedChannel channel = plugin.channel(null);
			assertThat(health(channel)).isEqualTo(ServingStatus.SERVING);
			// An ignored signal is dropped by the kernel when it is sent, so once kill
			// returns there is
			// nothing left to arrive later: no need to wait and hope.
			assertThat(ignoresSigint(plugin.process().pid())).as("SigIgn of the plugin has SIGINT").isTrue();
			PluginProcess.kill("INT", plugin.process().pid());
			assertThat(Processes.isRunning(plugin.process().toHandle())).as("the plugin runs on").isTrue();
			assertThat(health(channel)).isEqualTo(ServingStatus.SERVING);
			assertThat(plugin.socketDirectory()).isDirectory();
		}
	}

	private static ServingStatus health(ManagedChannel channel) {
		return HealthGrpc.newBlockingStub(channel)
			.withDeadlineAfter(30, TimeUnit.SECONDS)
			.check(HealthCheckRequest.newBuilder().setService("plugin").build())
			.getStatus();
	}

	/**
	 * Reads the ignored-signal mask of {@code /proc/<pid>/status}; SIGINT is signal 2,
	 * bit 1.
	 */
	private static boolean ignoresSigint(long pid) throws Exception {
		String mask = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))
			.stream()
			.filter((line) -> line.startsWith("SigIgn:"))
			.findFirst()
			.orElseThrow()
			.substring("SigIgn:".length())
			.strip();
		return (Long.parseUnsignedLong(mask, 16) & (1L << 1)) != 0;
	}

}
