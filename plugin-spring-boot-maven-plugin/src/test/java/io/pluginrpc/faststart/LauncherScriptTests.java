package io.pluginrpc.faststart;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher template with a stand-in for java that prints its arguments: the script
 * finds its own directory (app.jar, the cache) when started directly and through absolute
 * and relative symlinks.
 */
class LauncherScriptTests {

	@TempDir
	Path tmp;

	@Test
	void findsItsDirectoryDirectly() throws Exception {
		Path launcher = writeLauncher();
		assertThat(run(launcher)).contains("-jar " + launcher.getParent().toRealPath().resolve("app.jar") + " one two");
	}

	@Test
	void findsItsDirectoryThroughAChainOfSymlinks() throws Exception {
		Path launcher = writeLauncher();
		Path bin = Files.createDirectories(this.tmp.resolve("bin"));
		Path other = Files.createDirectories(this.tmp.resolve("other"));
		Files.createSymbolicLink(other.resolve("absolute"), launcher);
		Files.createSymbolicLink(bin.resolve("relative"), Path.of("..", "other", "absolute"));
		assertThat(run(bin.resolve("relative")))
			.contains("-jar " + launcher.getParent().toRealPath().resolve("app.jar") + " one two");
	}

	@Test
	void usesTheCacheNextToTheScript() throws Exception {
		Path launcher = writeLauncher();
		Files.createFile(launcher.resolveSibling("app.jsa"));
		Path link = Files.createSymbolicLink(this.tmp.resolve("link"), launcher);
		assertThat(run(link))
			.startsWith("-XX:SharedArchiveFile=" + launcher.getParent().toRealPath().resolve("app.jsa"));
	}

	@Test
	void quotesOptionsForTheShell() {
		assertThat(FastStartBuilder.shellQuote("-Dspring.aot.enabled=true")).isEqualTo("-Dspring.aot.enabled=true");
		assertThat(FastStartBuilder.shellQuote("-Da=b c")).isEqualTo("'-Da=b c'");
		assertThat(FastStartBuilder.shellQuote("-Da='x'")).isEqualTo("'-Da='\\''x'\\'''");
	}

	private Path writeLauncher() throws IOException {
		Path dir = Files.createDirectories(this.tmp.resolve("fast-start"));
		Path fakeJava = this.tmp.resolve("java");
		Files.writeString(fakeJava, "#!/bin/sh\necho \"$@\"\n");
		Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
		String template;
		try (InputStream in = FastStartBuilder.class.getResourceAsStream("launcher.sh")) {
			template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		Path launcher = dir.resolve("plugin");
		Files.writeString(launcher,
				template.replace("@java@", fakeJava.toString())
					.replace("@cache@", "cds")
					.replace("@options@", "-XX:+UseSerialGC"));
		Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
		return launcher;
	}

	private String run(Path command) throws Exception {
		ProcessBuilder builder = new ProcessBuilder(command.toString(), "one", "two").redirectErrorStream(true);
		builder.environment().remove("FAST_START_JAVA");
		builder.environment().remove("FAST_START_JAVA_OPTS");
		builder.environment().remove("AOT_TRAINING_RUN");
		Process process = builder.start();
		try {
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
			assertThat(process.exitValue()).as(output).isZero();
			return output;
		}
		finally {
			process.destroyForcibly();
		}
	}

}
