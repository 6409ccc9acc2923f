package io.pluginrpc.host;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.pluginrpc.core.Platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Both guard processes, the shell script on Linux and the JVM of the portable mode
 * (macOS, Windows), as the host drives them: commands on the pipe, then the pipe closes
 * as when the host JVM is killed.
 */
class OrphanGuardTests {

	@TempDir
	Path tmp;

	private Process guard;

	private Process plugin;

	@AfterEach
	void cleanUp() throws InterruptedException {
		System.clearProperty(Platform.PORTABLE_PROPERTY);
		for (Process process : new Process[] { this.plugin, this.guard }) {
			if (process != null) {
				process.descendants().forEach(ProcessHandle::destroyForcibly);
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

	@ParameterizedTest(name = "portable={0}")
	@ValueSource(booleans = { false, true })
	void whenTheHostsPipeClosesThePluginAndItsChildrenDieAndThePathsGo(boolean portable) throws Exception {
		System.setProperty(Platform.PORTABLE_PROPERTY, Boolean.toString(portable));
		assertThat(GuardProcess.usesShell()).isEqualTo(!portable);
		this.plugin = new ProcessBuilder("/bin/sh", "-c", "sleep 600 & exec sleep 601").start();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.plugin.descendants().count() == 1);
		ProcessHandle child = this.plugin.descendants().findFirst().orElseThrow();
		Path directory = Files.createDirectories(this.tmp.resolve("plugin1234").resolve("nested"));
		Files.writeString(directory.resolve("file"), "x");
		Path notASocket = Files.writeString(this.tmp.resolve("not-a-socket"), "keep");
		Path released = Files.createDirectory(this.tmp.resolve("released"));

		Path copies = Files.createDirectory(this.tmp.resolve("copies"));
		this.guard = GuardProcess.start(copies);
		OutputStream pipe = this.guard.getOutputStream();
		String commands = "add " + this.plugin.pid() + "\n" + "dir 1 " + directory.getParent() + "\n" + "sock 2 "
				+ notASocket + "\n" + "dir 3 " + released + "\n" + "undir 3\n";
		pipe.write(commands.getBytes(StandardCharsets.UTF_8));
		pipe.flush();
		pipe.close();

		assertThat(this.guard.waitFor(60, TimeUnit.SECONDS)).as("guard done").isTrue();
		assertThat(this.plugin.waitFor(10, TimeUnit.SECONDS)).as("plugin killed").isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> !child.isAlive());
		assertThat(directory.getParent()).doesNotExist();
		assertThat(notASocket).as("only sockets are removed").exists();
		assertThat(released).as("released paths stay").exists();
		assertThat(copies).as("the guard removed its private copy").isEmptyDirectory();
	}

	@ParameterizedTest(name = "portable={0}")
	@ValueSource(booleans = { false, true })
	void aReleasedPluginIsLeftAlone(boolean portable) throws Exception {
		System.setProperty(Platform.PORTABLE_PROPERTY, Boolean.toString(portable));
		this.plugin = new ProcessBuilder("sleep", "600").start();
		this.guard = GuardProcess.start();
		OutputStream pipe = this.guard.getOutputStream();
		pipe.write(("add " + this.plugin.pid() + "\ndel " + this.plugin.pid() + "\n").getBytes(StandardCharsets.UTF_8));
		pipe.close();
		assertThat(this.guard.waitFor(60, TimeUnit.SECONDS)).as("guard done").isTrue();
		assertThat(this.plugin.isAlive()).isTrue();
	}

}
