package io.pluginrpc.sample.plugin;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.pluginrpc.testing.Processes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host killed with SIGKILL cannot stop its plugin; the plugin notices it was orphaned
 * and stops itself, cleaning up like a normal shutdown.
 */
class ParentDeathIT {

	@Test
	void pluginExitsAndCleansUpWhenItsParentIsKilled() {
		// The "host" is a shell with the plugin as its child; the plugin's stdout is
		// still our pipe.
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

			// The bounds only guard against a hang: how soon the plugin notices is for
			// benchmarks.
			PluginProcess.awaitTrue(Processes.HANG_GUARD, "the orphaned plugin to exit",
					() -> !Processes.isRunning(plugin));
			PluginProcess.awaitTrue(Processes.HANG_GUARD, "the socket directory to be removed",
					() -> !Files.exists(socketDirectory));
			assertThat(host.tmpdir()).isEmptyDirectory();
		}
	}

	/**
	 * A host that dies while its plugin is still starting (go-plugin hosts launch through
	 * {@code sh -c} and may refuse a handshake and exit): the plugin's parent is recorded
	 * at start, so the watchdog that begins after the handshake sees the adopted orphan
	 * and exits. To kill the host at a known point after the plugin recorded its parent,
	 * the plugin reads its logging configuration from a FIFO: the test's open for writing
	 * returns only once the plugin opened it (logging starts after the recording), and
	 * the plugin goes on only once the test has written it.
	 */
	@Test
	void pluginWhoseHostDiedBeforeTheHandshakeExitsAfterIt() throws Exception {
		Path fifo = Files.createTempDirectory("pdit-").resolve("logback.xml");
		try {
			Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
			assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0).as("mkfifo").isTrue();
			List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "\"$@\" & wait", "host"));
			command.addAll(PluginProcess.javaCommand("--logging.config=file:" + fifo));
			try (PluginProcess host = PluginProcess.startCommand(PluginProcess.hostEnvironment(), command)) {
				CompletableFuture<OutputStream> opened = CompletableFuture.supplyAsync(() -> {
					try {
						return Files.newOutputStream(fifo);
					}
					catch (IOException ex) {
						throw new java.io.UncheckedIOException(ex);
					}
				});
				// Opening blocks until the plugin reads its logging configuration; a
				// generous bound against a hang.
				OutputStream config = opened.get(60, TimeUnit.SECONDS);
				ProcessHandle plugin = host.process().toHandle().children().findFirst().orElseThrow();
				host.watch(plugin);
				try (config) {
					PluginProcess.kill("KILL", host.process().pid());
					PluginProcess.awaitTrue(Processes.HANG_GUARD, "the shell to be gone",
							() -> !Processes.isRunning(host.process().pid()));
					assertThat(Processes.isRunning(plugin)).as("the plugin is still starting").isTrue();
					config.write(LOGBACK.getBytes(StandardCharsets.UTF_8));
				}
				Path socketDirectory = host.socketDirectory();
				PluginProcess.awaitTrue(Processes.HANG_GUARD, "the orphaned plugin to exit",
						() -> !Processes.isRunning(plugin));
				PluginProcess.awaitTrue(Processes.HANG_GUARD, "the socket directory to be removed",
						() -> !Files.exists(socketDirectory));
				host.awaitStderr("The host process is gone", Processes.HANG_GUARD);
			}
		}
		finally {
			Files.deleteIfExists(fifo);
			Files.deleteIfExists(fifo.getParent());
		}
	}

	private static final String LOGBACK = """
			<configuration>
			  <appender name="STDERR" class="io.pluginrpc.logging.StderrAppender">
			    <encoder class="io.pluginrpc.logging.HclogJsonEncoder"/>
			  </appender>
			  <root level="INFO"><appender-ref ref="STDERR"/></root>
			</configuration>
			""";

}
