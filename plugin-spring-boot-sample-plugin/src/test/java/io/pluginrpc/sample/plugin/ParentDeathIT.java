package io.pluginrpc.sample.plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

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

			PluginProcess.awaitTrue(Duration.ofSeconds(5), "the orphaned plugin to exit", () -> !plugin.isAlive());
			PluginProcess.awaitTrue(Duration.ofSeconds(5), "the socket directory to be removed",
					() -> !Files.exists(socketDirectory));
			assertThat(host.tmpdir()).isEmptyDirectory();
		}
	}

}
