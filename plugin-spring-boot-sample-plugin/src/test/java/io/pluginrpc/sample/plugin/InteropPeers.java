package io.pluginrpc.sample.plugin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Builds the Go and Python peers under {@code interop/} once per JVM with {@code interop/build.sh}.
 * A missing toolchain fails the test with the script's message: interop tests are never skipped.
 */
public final class InteropPeers {

	private static Path root;

	private InteropPeers() {
	}

	/** @return the repository root, after the peers are built */
	public static synchronized Path build() {
		if (root != null) {
			return root;
		}
		Path repository = repositoryRoot();
		ProcessBuilder builder = new ProcessBuilder("bash", repository.resolve("interop/build.sh").toString())
			.directory(repository.toFile())
			.redirectErrorStream(true);
		try {
			Process process = builder.start();
			byte[] output = process.getInputStream().readAllBytes();
			if (!process.waitFor(10, TimeUnit.MINUTES)) {
				process.destroyForcibly();
				throw new IllegalStateException("interop/build.sh did not finish within 10 minutes");
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException("interop/build.sh failed (exit " + process.exitValue()
						+ "); the interop tests need the Debian packages listed in README.md:\n"
						+ new String(output, StandardCharsets.UTF_8));
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run interop/build.sh: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while building the interop peers", ex);
		}
		root = repository;
		return root;
	}

	/** @return the sample plugin's executable jar, built by this module's package phase */
	public static Path samplePluginJar() {
		Path jar = repositoryRoot().resolve("plugin-spring-boot-sample-plugin/target/plugin-spring-boot-sample-plugin-0.1.0-SNAPSHOT.jar");
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException("The sample plugin jar " + jar + " is missing; run the build with 'verify'");
		}
		return jar;
	}

	private static Path repositoryRoot() {
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null && !Files.isRegularFile(dir.resolve("interop/build.sh"))) {
			dir = dir.getParent();
		}
		if (dir == null) {
			throw new IllegalStateException("Cannot find interop/build.sh above " + Path.of("").toAbsolutePath());
		}
		return dir;
	}

}
