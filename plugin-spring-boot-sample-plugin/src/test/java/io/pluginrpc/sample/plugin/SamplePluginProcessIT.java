package io.pluginrpc.sample.plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.sun.security.auth.module.UnixSystem;
import org.junit.jupiter.api.Test;

import io.pluginrpc.testing.Commands;
import io.pluginrpc.testing.Processes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The sample plugin jar as a real process, against callers other than a well-behaved
 * host: another local user, and a Go host that offers no version the plugin speaks.
 */
class SamplePluginProcessIT {

	/** The user the stranger runs as: nobody, on every Debian-like system. */
	private static final String STRANGER = "65534";

	private static final Duration COMMAND_GUARD = Duration.ofSeconds(60);

	@Test
	void anotherLocalUserCannotConnect() throws Exception {
		List<String> asStranger = switchToStranger();
		try (PluginProcess plugin = PluginProcess.start(PluginProcess.hostEnvironment())) {
			String address = plugin.handshake().address();
			// The harness's TMPDIR is private (0700); open it like /tmp, so only the
			// plugin's own socket
			// directory and socket can keep the stranger out.
			Files.setPosixFilePermissions(plugin.tmpdir(), PosixFilePermissions.fromString("rwxrwxrwx"));
			String connect = "import os, socket, sys\ns = socket.socket(socket.AF_UNIX)\nprint('uid', os.getuid())\n"
					+ "s.connect(sys.argv[1])\nprint('connected')";
			Commands.Result owner = Commands.run(List.of("/usr/bin/python3", "-c", connect, address), COMMAND_GUARD);
			assertThat(owner.output()).as("the owner can connect").contains("connected");
			List<String> strangerCommand = new ArrayList<>(asStranger);
			strangerCommand.addAll(List.of("/usr/bin/python3", "-c", connect, address));
			Commands.Result stranger = Commands.run(strangerCommand, COMMAND_GUARD);
			assertThat(stranger.output()).as("the stranger runs as another user").contains("uid " + STRANGER);
			assertThat(stranger.exitStatus()).as(stranger.output()).isNotZero();
			assertThat(stranger.output()).contains("PermissionError").doesNotContain("connected");
		}
	}

	/**
	 * go-plugin 1.0.1's host SIGKILLs a plugin whose version it rejects (it has no
	 * connection to ask it to stop): the plugin cannot remove its socket directory, and
	 * that host does not either (our host's orphan guard does). The test checks that the
	 * plugin is gone without trusting the go host's own "PASS kill", and that the socket
	 * directory is all that is left.
	 */
	@Test
	void aGoHostThatOffersOtherVersionsFailsClearlyAndThePluginItKilledIsGone() throws Exception {
		Path root = InteropPeers.build();
		List<String> command = new ArrayList<>(List.of(root.resolve("interop/build/bin/go-host").toString(),
				"-versions", "2,3", "-scenario", "handshake", "--"));
		command.addAll(PluginProcess.javaCommand());
		// The go-host passes its environment (with the harness's private TMPDIR) on to
		// the plugin.
		try (PluginProcess host = PluginProcess.startCommand(Map.of(), command)) {
			assertThat(host.awaitExit(Duration.ofMinutes(2))).as(host.diagnostics()).isEqualTo(1);
			assertThat(host.stdout() + host.stderr()).as(host.diagnostics())
				.contains("FAIL start: Incompatible API version with plugin. Plugin version: 1")
				.contains("PASS kill");
			// The go host prints "PASS kill" without checking: look for the plugin by the
			// harness's TMPDIR
			// in its environment, and at what is left there, before close() removes that
			// directory.
			Processes.awaitGone(host.processesInThisTmpdir(), "plugin processes the go host started");
			List<Path> left = host.leftInTmpdir();
			assertThat(left)
				.as("what is left in the plugin's TMPDIR: its socket directory and socket" + host.diagnostics())
				.hasSize(2)
				.allSatisfy((path) -> assertThat(host.tmpdir().relativize(path).toString())
					.matches("plugin\\w+(/plugin\\.sock)?"));
		}
	}

	/**
	 * @return the command prefix that runs a command as {@link #STRANGER}:
	 * {@code setpriv} as root, {@code sudo -n setpriv} where sudo needs no password; else
	 * the test fails, saying so
	 */
	private static List<String> switchToStranger() {
		List<String> setpriv = List.of("setpriv", "--reuid=" + STRANGER, "--regid=" + STRANGER, "--clear-groups");
		if (new UnixSystem().getUid() == 0) {
			return setpriv;
		}
		Commands.Result sudo;
		try {
			sudo = Commands.run(List.of("sudo", "-n", "true"), COMMAND_GUARD);
		}
		catch (java.io.UncheckedIOException ex) {
			sudo = new Commands.Result(-1, "no sudo: " + ex.getCause().getMessage());
		}
		if (sudo.exitStatus() == 0) {
			List<String> command = new ArrayList<>(List.of("sudo", "-n"));
			command.addAll(setpriv);
			return command;
		}
		return fail(
				"This test runs a client as another user (uid %s), which needs root or password-less sudo; "
						+ "running as uid %d, 'sudo -n true' said: %s",
				STRANGER, new UnixSystem().getUid(), sudo.output().strip());
	}

}
