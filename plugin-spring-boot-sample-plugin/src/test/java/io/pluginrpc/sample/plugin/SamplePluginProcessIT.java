package io.pluginrpc.sample.plugin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The sample plugin jar as a real process, against callers other than a well-behaved host: another local
 * user, and a Go host that offers no version the plugin speaks.
 */
class SamplePluginProcessIT {

	@Test
	void anotherLocalUserCannotConnect() throws Exception {
		assumeTrue(isRoot(), "switching to another user needs root (CI runs as root)");
		try (PluginProcess plugin = PluginProcess.start(PluginProcess.hostEnvironment())) {
			String address = plugin.handshake().address();
			String connect = "import socket, sys\ns = socket.socket(socket.AF_UNIX)\ns.connect(sys.argv[1])\nprint('connected')";
			Result owner = run(List.of("/usr/bin/python3", "-c", connect, address));
			assertThat(owner.output()).as("the owner can connect").contains("connected");
			Result stranger = run(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
					"/usr/bin/python3", "-c", connect, address));
			assertThat(stranger.exitStatus()).as(stranger.output()).isNotZero();
			assertThat(stranger.output()).contains("PermissionError");
		}
	}

	@Test
	void aGoHostThatOffersOtherVersionsFailsClearlyAndLeavesNothingBehind() {
		Path root = InteropPeers.build();
		List<String> command = new ArrayList<>(List.of(root.resolve("interop/build/bin/go-host").toString(),
				"-versions", "2,3", "-scenario", "handshake", "--"));
		command.addAll(PluginProcess.javaCommand());
		// The go-host passes its environment (with the harness's private TMPDIR) on to the plugin.
		try (PluginProcess host = PluginProcess.startCommand(Map.of(), command)) {
			assertThat(host.awaitExit(Duration.ofMinutes(2))).as(host.diagnostics()).isEqualTo(1);
			assertThat(host.stdout() + host.stderr()).as(host.diagnostics())
				.contains("FAIL start: Incompatible API version with plugin. Plugin version: 1")
				.contains("PASS kill");
		}
	}

	private record Result(int exitStatus, String output) {
	}

	private static Result run(List<String> command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		return new Result(process.exitValue(), output);
	}

	private static boolean isRoot() {
		try {
			return "0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).strip());
		}
		catch (IOException ex) {
			return false;
		}
	}

}
