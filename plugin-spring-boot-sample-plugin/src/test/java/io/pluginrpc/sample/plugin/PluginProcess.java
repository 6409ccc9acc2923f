package io.pluginrpc.sample.plugin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import io.grpc.ManagedChannel;

import io.pluginrpc.core.handshake.HandshakeException;
import io.pluginrpc.core.handshake.HandshakeLine;
import io.pluginrpc.core.tls.TlsIdentity;
import io.pluginrpc.core.transport.SocketDirectory;
import io.pluginrpc.core.transport.Transports;
import io.pluginrpc.testing.Commands;
import io.pluginrpc.testing.Processes;

/**
 * The sample plugin jar as a real process, seen from a test acting as its host: a clean
 * environment (PATH, HOME, JAVA_HOME and what the test passes; TMPDIR is a private
 * directory of this harness, so whatever the plugin leaves behind is found and removed),
 * stdout and stderr drained into buffers on daemon threads, the handshake line read with
 * a timeout, channels to the announced address. {@link #close()} kills the whole process
 * tree, checks nothing is left alive and removes the private directory.
 */
final class PluginProcess implements AutoCloseable {

	/**
	 * How long the harness waits for the handshake line: against a hang only. Not
	 * go-plugin's 1 minute start timeout: a busy machine has taken longer than that to
	 * start the plugin's JVM.
	 */
	static final Duration START_TIMEOUT = Processes.HANG_GUARD;

	static final String COOKIE_KEY = "BASIC_PLUGIN";

	static final String COOKIE_VALUE = "hello";

	private final Process process;

	private final Path tmpdir;

	private final Stream stdout;

	private final Stream stderr;

	private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();

	private final List<ProcessHandle> watched = new CopyOnWriteArrayList<>();

	private PluginProcess(Process process, Path tmpdir) {
		this.process = process;
		this.tmpdir = tmpdir;
		this.stdout = new Stream(process.getInputStream(), "plugin-stdout-" + process.pid());
		this.stderr = new Stream(process.getErrorStream(), "plugin-stderr-" + process.pid());
	}

	/**
	 * @return the environment a host sets for version 1 with the right cookie
	 */
	static Map<String, String> hostEnvironment() {
		Map<String, String> env = new LinkedHashMap<>();
		env.put(COOKIE_KEY, COOKIE_VALUE);
		env.put("PLUGIN_PROTOCOL_VERSIONS", "1");
		return env;
	}

	/**
	 * Starts {@code java -jar <sample plugin jar> args...}.
	 * @param env variables on top of the clean base environment
	 * @param args program arguments
	 * @return the running process
	 */
	static PluginProcess start(Map<String, String> env, String... args) {
		return startCommand(env, javaCommand(args));
	}

	/**
	 * Starts any command (for example a shell that starts the plugin) in the same clean
	 * environment.
	 * @param env variables on top of the clean base environment
	 * @param command the command
	 * @return the running process
	 */
	static PluginProcess startCommand(Map<String, String> env, List<String> command) {
		try {
			Path tmpdir = Files.createTempDirectory("pit-");
			ProcessBuilder builder = new ProcessBuilder(command);
			Map<String, String> environment = builder.environment();
			environment.clear();
			// PLUGINRPC_PORTABLE: the portable failsafe run (README, "Platforms") reaches
			// the plugin too.
			for (String name : List.of("PATH", "HOME", "JAVA_HOME", "PLUGINRPC_PORTABLE")) {
				String value = System.getenv(name);
				if (value != null) {
					environment.put(name, value);
				}
			}
			environment.put("TMPDIR", tmpdir.toString());
			environment.putAll(env);
			return new PluginProcess(builder.start(), tmpdir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + command, ex);
		}
	}

	/**
	 * @param args program arguments
	 * @return {@code java -jar <jar> args...} with the JVM running the tests
	 */
	static List<String> javaCommand(String... args) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-jar");
		command.add(InteropPeers.samplePluginJar().toString());
		command.addAll(List.of(args));
		return command;
	}

	/**
	 * Waits for the first stdout line.
	 * @return the line without its newline
	 * @throws AssertionError if the plugin exits or stays silent for
	 * {@link #START_TIMEOUT}
	 */
	String handshakeLine() {
		try {
			String line = this.stdout.firstLine.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			if (line == null) {
				throw new AssertionError("The plugin closed stdout without a handshake line" + diagnostics());
			}
			return line;
		}
		catch (TimeoutException ex) {
			throw new AssertionError("No handshake line within " + START_TIMEOUT.toSeconds() + " s" + diagnostics());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting for the handshake line", ex);
		}
		catch (ExecutionException ex) {
			throw new AssertionError("Could not read the handshake line" + diagnostics(), ex.getCause());
		}
	}

	/**
	 * @return the handshake line parsed as a host offering version 1 would
	 */
	HandshakeLine handshake() {
		try {
			return HandshakeLine.parse("sample", handshakeLine(), Set.of(1));
		}
		catch (HandshakeException ex) {
			throw new AssertionError(ex.getMessage() + diagnostics(), ex);
		}
	}

	/**
	 * A channel to the address of the handshake, shut down by {@link #close()}.
	 * @param tls the host's AutoMTLS identity, or {@code null} for plaintext
	 * @return the channel
	 */
	ManagedChannel channel(TlsIdentity tls) {
		HandshakeLine handshake = handshake();
		ManagedChannel channel = Transports
			.channelBuilder(Transports.socketAddress(handshake.network(), handshake.address()), tls)
			.build();
		this.channels.add(channel);
		return channel;
	}

	/**
	 * @return the directory holding the plugin's Unix socket
	 */
	Path socketDirectory() {
		if ("unix".equals(handshake().network())) {
			return Path.of(handshake().address()).getParent();
		}
		// A plugin serving TCP (portable mode) still makes its directory for broker
		// sockets, in its TMPDIR.
		try (java.util.stream.Stream<Path> entries = Files.list(this.tmpdir)) {
			return entries.filter(Files::isDirectory)
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("the plugin made no socket directory in " + this.tmpdir));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * @return this harness's private directory, the plugin's TMPDIR
	 */
	Path tmpdir() {
		return this.tmpdir;
	}

	/**
	 * @return what is in this harness's TMPDIR now (which {@link #close()} removes):
	 * where a plugin that was not stopped cleanly leaves its socket directory
	 */
	List<Path> leftInTmpdir() {
		try (java.util.stream.Stream<Path> entries = Files.walk(this.tmpdir)) {
			return entries.filter((path) -> !path.equals(this.tmpdir)).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * @return the running processes whose environment holds this harness's TMPDIR,
	 * wherever they were re-parented: every process this harness started, and what they
	 * started in turn
	 */
	List<ProcessHandle> processesInThisTmpdir() {
		byte[] marker = ("TMPDIR=" + this.tmpdir + "\0").getBytes(StandardCharsets.UTF_8);
		return ProcessHandle.allProcesses().filter((process) -> {
			try {
				byte[] environ = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "environ"));
				return indexOf(environ, marker) >= 0;
			}
			catch (IOException | SecurityException ex) {
				// Gone meanwhile, or another user's process (which this harness did not
				// start).
				return false;
			}
		}).filter(Processes::isRunning).toList();
	}

	private static int indexOf(byte[] data, byte[] part) {
		outer: for (int i = 0; i + part.length <= data.length; i++) {
			for (int j = 0; j < part.length; j++) {
				if (data[i + j] != part[j]) {
					continue outer;
				}
			}
			if (i == 0 || data[i - 1] == 0) {
				return i;
			}
		}
		return -1;
	}

	Process process() {
		return this.process;
	}

	/**
	 * @return everything the plugin wrote to stdout so far, the handshake line included
	 */
	String stdout() {
		return this.stdout.text();
	}

	/**
	 * @return everything the plugin wrote to stderr so far
	 */
	String stderr() {
		return this.stderr.text();
	}

	/**
	 * Also kills and checks another process at {@link #close()}, such as a plugin started
	 * by a shell.
	 * @param handle the process
	 */
	void watch(ProcessHandle handle) {
		this.watched.add(handle);
	}

	/**
	 * Waits for the process to exit and for both of its streams to end.
	 * @param limit how long to wait at most
	 * @return the exit status
	 * @throws AssertionError if it is still running after {@code limit}
	 */
	int awaitExit(Duration limit) {
		try {
			if (!this.process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new AssertionError("The plugin did not exit within " + limit.toSeconds() + " s" + diagnostics());
			}
			this.stdout.finished.get(10, TimeUnit.SECONDS);
			this.stderr.finished.get(10, TimeUnit.SECONDS);
			return this.process.exitValue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting for the plugin to exit", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new AssertionError("The plugin's output did not end after it exited" + diagnostics(), ex);
		}
	}

	/**
	 * Polls a condition until it holds.
	 * @param limit a generous bound
	 * @param what what is awaited, for the failure message
	 * @param condition the condition
	 */
	static void awaitTrue(Duration limit, String what, BooleanSupplier condition) {
		Instant deadline = Instant.now().plus(limit);
		while (!condition.getAsBoolean()) {
			if (Instant.now().isAfter(deadline)) {
				throw new AssertionError("Waited " + limit.toMillis() + " ms for " + what);
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("Interrupted while waiting for " + what, ex);
			}
		}
	}

	/**
	 * Waits until the plugin has written a text to stderr.
	 * @param text the text
	 * @param limit a generous bound
	 */
	void awaitStderr(String text, Duration limit) {
		try {
			awaitTrue(limit, "'" + text + "' on stderr", () -> stderr().contains(text));
		}
		catch (AssertionError ex) {
			throw new AssertionError(ex.getMessage() + diagnostics(), ex);
		}
	}

	/**
	 * Sends a signal with {@code kill}.
	 * @param signal e.g. {@code INT}
	 * @param pid the process
	 */
	static void kill(String signal, long pid) {
		Commands.Result kill = Commands.run(List.of("kill", "-" + signal, Long.toString(pid)), Duration.ofSeconds(60));
		if (kill.exitStatus() != 0) {
			throw new AssertionError("kill -" + signal + " " + pid + " failed: " + kill.output());
		}
	}

	String diagnostics() {
		return "\n(pid " + this.process.pid() + ", alive " + this.process.isAlive() + ")\nstdout:\n" + stdout()
				+ "\nstderr:\n" + stderr();
	}

	/**
	 * Shuts channels down, kills the process and every descendant with SIGKILL, waits for
	 * them, asserts none survived, and removes the private TMPDIR with whatever a killed
	 * plugin left in it.
	 */
	@Override
	public void close() {
		this.channels.forEach(ManagedChannel::shutdownNow);
		List<ProcessHandle> tree = new ArrayList<>(this.watched);
		tree.add(this.process.toHandle());
		this.process.descendants().forEach(tree::add);
		for (ProcessHandle handle : List.copyOf(tree)) {
			handle.descendants().forEach(tree::add);
		}
		tree.forEach(ProcessHandle::destroyForcibly);
		AssertionError survivors = null;
		try {
			// A zombie counts as gone: init may take its time to reap a re-parented one.
			Processes.awaitGone(tree, "processes of this plugin harness after SIGKILL");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (AssertionError ex) {
			survivors = ex;
		}
		// Tests that care what a plugin leaves behind check leftInTmpdir() before this.
		SocketDirectory.deleteRecursively(this.tmpdir);
		if (survivors != null) {
			throw survivors;
		}
		if (Files.exists(this.tmpdir)) {
			throw new AssertionError("Could not remove " + this.tmpdir);
		}
	}

	/**
	 * Drains one of the plugin's output streams into memory; completes the first line as
	 * soon as it ends.
	 */
	private static final class Stream {

		private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

		final CompletableFuture<String> firstLine = new CompletableFuture<>();

		final CompletableFuture<Void> finished = new CompletableFuture<>();

		Stream(InputStream in, String name) {
			Thread thread = new Thread(() -> drain(in), name);
			thread.setDaemon(true);
			thread.start();
		}

		private void drain(InputStream in) {
			byte[] chunk = new byte[8192];
			try (in) {
				int n;
				while ((n = in.read(chunk)) >= 0) {
					synchronized (this.buffer) {
						this.buffer.write(chunk, 0, n);
					}
					if (!this.firstLine.isDone()) {
						String text = text();
						int newline = text.indexOf('\n');
						if (newline >= 0) {
							this.firstLine.complete(text.substring(0, newline));
						}
					}
				}
			}
			catch (IOException ex) {
				// The process is gone; what was read stays in the buffer.
			}
			finally {
				this.firstLine.complete(null);
				this.finished.complete(null);
			}
		}

		String text() {
			synchronized (this.buffer) {
				return this.buffer.toString(StandardCharsets.UTF_8);
			}
		}

	}

}
