package io.pluginrpc.sample.plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.pluginrpc.testing.Processes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host killed with SIGKILL cannot stop its plugin; the plugin notices it was orphaned and stops
 * itself, cleaning up like a normal shutdown.
 */
class ParentDeathIT {

	@Test
	void pluginExitsAndCleansUpWhenItsParentIsKilled() {
		// The "host" is a shell with the plugin as its child; the plugin's stdout is still our pipe.
		List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "\"$@\" & wait", "host"));
		command.addAll(PluginProcess.javaCommand());
		try (PluginProcess host = PluginProcess.startCommand(PluginProcess.hostEnvironment(), command)) {
			Path socketDirectory = host.socketDirectory();
			List<ProcessHandle> children = host.process().toHandle().children().toList();
			assertThat(children).as("the shell's children").hasSize(1);
			ProcessHandle plugin = children.get(0);
			host.watch(plugin);
			assertThat(plugin.info().command()).hasValueSatisfying((path) -> assertThat(path).endsWith("java"));
			assertThat(socketDirectory).isDirectory();

			PluginProcess.kill("KILL", host.process().pid());

			// The bounds only guard against a hang: how soon the plugin notices is for benchmarks.
			PluginProcess.awaitTrue(Processes.HANG_GUARD, "the orphaned plugin to exit", () -> !Processes.isRunning(plugin));
			PluginProcess.awaitTrue(Processes.HANG_GUARD, "the socket directory to be removed",
					() -> !Files.exists(socketDirectory));
			assertThat(host.tmpdir()).isEmptyDirectory();
		}
	}

}
