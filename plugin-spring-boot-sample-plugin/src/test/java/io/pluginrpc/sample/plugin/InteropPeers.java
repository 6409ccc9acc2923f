package io.pluginrpc.sample.plugin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds the Go and Python peers under {@code interop/} once per JVM with
 * {@code interop/build.sh}, and names them. A missing toolchain or go-plugin source fails
 * the test with the script's message: interop tests are never skipped.
 * <p>
 * The Go peers exist once per go-plugin version ({@link GoPeer}): ours ({@code go-host},
 * {@code go-kv-plugin}, {@code go-counter-plugin}) built against Debian's go-plugin 1.0.1
 * and against go-plugin v1.6.3's source, and go-plugin 1.6.3's own examples built
 * unmodified ({@link #example}).
 */
public final class InteropPeers {

	/**
	 * How long {@code interop/build.sh} may take; a cold build of every peer takes a few
	 * minutes on 2 cores.
	 */
	private static final long BUILD_TIMEOUT_MINUTES = 15;

	private static Path root;

	private InteropPeers() {
	}

	/**
	 * A go-plugin version our Go peers are built against, with the go-plugin features a
	 * scenario turns on. Every interop scenario that has a Go peer runs once per element
	 * of {@link #all()}.
	 *
	 * @param version the go-plugin version, the directory under
	 * {@code interop/build/bin/}
	 * @param multiplex whether the Go host asks for gRPC broker multiplexing
	 * ({@code go-host -multiplex}, go-plugin 1.6's {@code GRPCBrokerMultiplex})
	 */
	public record GoPeer(String version, boolean multiplex) {

		/** go-plugin 1.0.1, as Debian packages it. */
		public static final GoPeer V1_0_1 = new GoPeer("1.0.1", false);

		/** go-plugin v1.6.3, built from its source. */
		public static final GoPeer V1_6_3 = new GoPeer("1.6.3", false);

		/** go-plugin v1.6.3 with gRPC broker multiplexing asked for by the host. */
		public static final GoPeer V1_6_3_MULTIPLEX = new GoPeer("1.6.3", true);

		/**
		 * The peers every Go interop scenario runs against: a Go host runs with
		 * {@link #goHost()}'s flags, and a scenario that starts a Go plugin under the
		 * Java host sets {@code grpc-broker-multiplex} to {@link #multiplex()}.
		 * @return the peers
		 */
		public static List<GoPeer> all() {
			return List.of(V1_0_1, V1_6_3, V1_6_3_MULTIPLEX);
		}

		/**
		 * @param name {@code go-host}, {@code go-kv-plugin} or {@code go-counter-plugin}
		 * @return the peer built against this version, after the peers are built
		 */
		public Path binary(String name) {
			return InteropPeers.build().resolve("interop/build/bin/" + this.version + "/" + name);
		}

		/**
		 * @return whether this go-plugin streams a plugin's stdout and stderr to the host
		 * (GRPCStdio, 1.6+)
		 */
		public boolean grpcStdio() {
			return !this.version.equals("1.0.1");
		}

		/**
		 * @return {@code go-host} with the flags of this peer's features, ready for
		 * {@code -scenario ...}
		 */
		public List<String> goHost() {
			List<String> command = new ArrayList<>(List.of(binary("go-host").toString()));
			if (this.multiplex) {
				command.add("-multiplex");
			}
			return command;
		}

		@Override
		public String toString() {
			return "go-plugin " + this.version + (this.multiplex ? " (multiplex)" : "");
		}

	}

	/**
	 * @return every {@link GoPeer}, for {@code @MethodSource}
	 */
	public static Stream<GoPeer> goPeers() {
		return GoPeer.all().stream();
	}

	/**
	 * go-plugin v1.6.3's own examples, built unmodified from its source: {@code kv} (the
	 * {@code examples/grpc} host, {@code KV_PLUGIN}), {@code kv-go-grpc} (its Go plugin),
	 * {@code counter} (the {@code examples/bidirectional} host, {@code COUNTER_PLUGIN})
	 * and {@code counter-go-grpc}.
	 * @param name the binary
	 * @return its path, after the peers are built
	 */
	public static Path example(String name) {
		return build().resolve("interop/build/bin/1.6.3/examples/" + name);
	}

	/**
	 * @return the repository root, after the peers are built
	 */
	public static synchronized Path build() {
		if (root != null) {
			return root;
		}
		Path repository = repositoryRoot();
		Path log = null;
		try {
			// Output goes to a file, read once the script has ended: reading a pipe to
			// its end first would
			// make the timeout below useless if the script hung.
			log = Files.createTempFile("interop-build-", ".log");
			Process process = new ProcessBuilder("bash", repository.resolve("interop/build.sh").toString())
				.directory(repository.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			if (!process.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
				process.descendants().forEach(ProcessHandle::destroyForcibly);
				process.destroyForcibly();
				process.waitFor(30, TimeUnit.SECONDS);
				throw new IllegalStateException("interop/build.sh did not finish within " + BUILD_TIMEOUT_MINUTES
						+ " minutes and was killed; its output:\n" + Files.readString(log, StandardCharsets.UTF_8));
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException("interop/build.sh failed (exit " + process.exitValue()
						+ "); the interop tests need the Debian packages listed in README.md (\"Interop tests\")"
						+ " and go-plugin v1.6.3's source:\n" + Files.readString(log, StandardCharsets.UTF_8));
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run interop/build.sh: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while building the interop peers", ex);
		}
		finally {
			if (log != null) {
				try {
					Files.deleteIfExists(log);
				}
				catch (IOException ex) {
					// A leftover log in the temp directory harms nothing.
				}
			}
		}
		root = repository;
		return root;
	}

	/**
	 * Runs a peer program (a Go host, an example host) to its end, its output in a file
	 * rather than a pipe so that the timeout holds even when the program hangs; on
	 * timeout the program and its descendants are killed and the test fails with what the
	 * program wrote so far.
	 * @param command the command
	 * @param environment variables added to this JVM's environment
	 * @param directory the working directory
	 * @param timeoutSeconds a generous bound that only guards against a hang
	 * @return the exit status and the output (stdout and stderr interleaved)
	 */
	public static Run run(List<String> command, Map<String, String> environment, Path directory, long timeoutSeconds) {
		Path log = null;
		Process process = null;
		try {
			log = Files.createTempFile("interop-peer-", ".log");
			ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile());
			builder.environment().putAll(environment);
			process = builder.start();
			if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
				killTree(process);
				throw new AssertionError(command + " did not finish within " + timeoutSeconds
						+ " s and was killed; its output:\n" + Files.readString(log, StandardCharsets.UTF_8));
			}
			return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new AssertionError("Could not run " + command + ": " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while running " + command, ex);
		}
		finally {
			if (process != null) {
				killTree(process);
			}
			if (log != null) {
				try {
					Files.deleteIfExists(log);
				}
				catch (IOException ex) {
					// A leftover log in the temp directory harms nothing.
				}
			}
		}
	}

	/** Kills a process and whatever it left running, and waits for them (bounded). */
	private static void killTree(Process process) {
		List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
		tree.add(process.toHandle());
		tree.forEach(ProcessHandle::destroyForcibly);
		for (ProcessHandle handle : tree) {
			handle.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally((ex) -> null).join();
		}
	}

	/**
	 * How a peer program ended.
	 *
	 * @param exitValue its exit status
	 * @param output what it wrote to stdout and stderr
	 */
	public record Run(int exitValue, String output) {

		/**
		 * @return the output followed by the exit status, for assertion messages and
		 * end-of-output checks
		 */
		public String transcript() {
			return this.output + "\n(exit status " + this.exitValue + ")";
		}

	}

	/**
	 * @return the sample plugin's executable jar, built by this module's package phase
	 * (the Spring Boot 4 line's modules name theirs in the system property
	 * {@code pluginrpc.sample-plugin.jar})
	 */
	public static Path samplePluginJar() {
		String configured = System.getProperty("pluginrpc.sample-plugin.jar");
		Path jar = (configured != null) ? Path.of(configured) : repositoryRoot()
			.resolve("plugin-spring-boot-sample-plugin/target/plugin-spring-boot-sample-plugin-0.1.0-SNAPSHOT.jar");
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException(
					"The sample plugin jar " + jar + " is missing; run the build with 'verify'");
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
