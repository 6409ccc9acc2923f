package io.pluginrpc.faststart;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns a Spring Boot plugin jar into a directory that starts fast: the jar extracted (no
 * nested-jar class loading), a launcher script the host execs, and a JVM cache from one
 * training run: a JDK 25+ AOT cache (classes loaded, linked and profiled ahead of time)
 * or, on older JDKs, a dynamic CDS archive. {@link FastStartMojo} runs it after
 * {@code package}; see the README's "Fast start". Both caches hold absolute paths: after
 * moving the directory, {@link #train()} again in place ({@link TrainMojo}).
 * <p>
 * A library class: it reports failures as exceptions and never ends the JVM it runs in.
 */
public final class FastStartBuilder {

	/**
	 * Options for a plugin: the serial collector (small heaps, no GC threads to start)
	 * with an 8 MiB young generation (the default sizes it from the machine's memory, and
	 * a start fills tens of MiB of it before the first collection: about 10 MiB more
	 * resident memory, bench/NOTES.md), JVM messages on stderr (where they cannot corrupt
	 * the handshake). Both compilers: C2 cut a unary call's latency by about a quarter
	 * against C1 only, for about 5% more CPU at start, because the training run (launcher
	 * script) compiles with C1 only, so the cache replays no C2 compilations (a
	 * C2-trained cache doubled the start).
	 */
	static final List<String> DEFAULT_OPTIONS = List.of("-XX:+UseSerialGC", "-Xmn8m", "-Xlog:disable",
			"-Xlog:all=warning:stderr");

	private final Path output;

	private String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

	private String launcher = "plugin";

	private final Map<String, String> cookie = new LinkedHashMap<>();

	private final List<String> jvmOptions = new ArrayList<>();

	private Consumer<String> log = System.err::println;

	/**
	 * A builder for the fast-start directory {@code output}.
	 * @param output the directory to write (replaced by {@link #build(Path)}) or to train
	 * in
	 */
	public FastStartBuilder(Path output) {
		this.output = output.toAbsolutePath();
	}

	/** The java executable the plugin runs on (default: the one running this code). */
	public FastStartBuilder java(String java) {
		this.java = java;
		return this;
	}

	/** The launcher script's file name inside the directory (default {@code plugin}). */
	public FastStartBuilder launcher(String launcher) {
		if (launcher.isEmpty() || launcher.contains("/")) {
			throw new IllegalArgumentException("expected a file name for the launcher, got '" + launcher + "'");
		}
		this.launcher = launcher;
		return this;
	}

	/**
	 * The plugin's magic cookie, as {@code KEY=VALUE}: the training run starts the plugin
	 * as a host would, and a plugin refuses to start without it.
	 */
	public FastStartBuilder cookie(String keyAndValue) {
		int equals = (keyAndValue != null) ? keyAndValue.indexOf('=') : -1;
		if (equals < 1) {
			throw new IllegalArgumentException(
					"expected the plugin's magic cookie as KEY=VALUE, got '" + keyAndValue + "'");
		}
		this.cookie.put(keyAndValue.substring(0, equals), keyAndValue.substring(equals + 1));
		return this;
	}

	/** JVM options added after {@link #DEFAULT_OPTIONS} (a later option wins). */
	public FastStartBuilder jvmOptions(List<String> options) {
		this.jvmOptions.addAll(options);
		return this;
	}

	/** Where progress messages go (default: stderr). */
	public FastStartBuilder log(Consumer<String> log) {
		this.log = log;
		return this;
	}

	/** The launcher script's path. */
	public Path launcherScript() {
		return this.output.resolve(this.launcher);
	}

	/**
	 * Replaces the directory with the extracted {@code jar} and a launcher script (no JVM
	 * cache yet).
	 * @param jar the plugin's Spring Boot (repackaged) jar
	 * @return the launcher script
	 * @throws IOException if the jar is missing or extraction fails
	 */
	public Path build(Path jar) throws IOException, InterruptedException {
		if (!Files.isRegularFile(jar)) {
			throw new IOException("expected the plugin's Spring Boot jar at " + jar + ", found none (run after "
					+ "spring-boot:repackage)");
		}
		if (Files.exists(this.output)) {
			try (Stream<Path> paths = Files.walk(this.output)) {
				for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
					Files.delete(path);
				}
			}
		}
		Files.createDirectories(this.output);
		run(List.of(this.java, "-Djarmode=tools", "-jar", jar.toAbsolutePath().toString(), "extract", "--destination",
				this.output.toString(), "--application-filename", "app.jar", "--force"));
		int feature = javaFeatureVersion(this.java);
		List<String> options = new ArrayList<>(DEFAULT_OPTIONS);
		if (feature >= 22) {
			// netty loads its epoll library through System.loadLibrary; JDK 24+ warns on
			// stderr without this.
			options.add("--enable-native-access=ALL-UNNAMED");
		}
		if (feature >= 24) {
			// protobuf-java uses sun.misc.Unsafe; JDK 24+ warns on stderr at every start,
			// which hosts log.
			options.add("--sun-misc-unsafe-memory-access=allow");
		}
		options.addAll(this.jvmOptions);
		String template;
		try (InputStream in = FastStartBuilder.class.getResourceAsStream("launcher.sh")) {
			template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		String script = template.replace("@java@", this.java)
			.replace("@cache@", (feature >= 25) ? "aot" : "cds")
			.replace("@options@", String.join(" ", options.stream().map(FastStartBuilder::shellQuote).toList()));
		Path path = launcherScript();
		Files.writeString(path, script);
		Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
		this.log.accept("fast start: " + path + " (java " + feature + ", "
				+ ((feature >= 25) ? "AOT cache" : "dynamic CDS archive") + ")");
		return path;
	}

	/**
	 * Runs the plugin once through its launcher, as a host would, so that the JVM writes
	 * its cache.
	 * @return the cache file written
	 * @throws IOException if the launcher is missing, the plugin fails, or no cache was
	 * written
	 */
	public Path train() throws IOException, InterruptedException {
		Path script = launcherScript();
		if (!Files.isExecutable(script)) {
			throw new IOException(script + " is missing; build the fast-start directory first");
		}
		if (this.cookie.isEmpty()) {
			throw new IllegalArgumentException("the training run needs the plugin's magic cookie (KEY=VALUE)");
		}
		Map<String, String> environment = new LinkedHashMap<>(this.cookie);
		environment.put("AOT_TRAINING_RUN", "1");
		new TrainingRun(List.of(script.toString()), environment).run();
		Path cache = Files.exists(this.output.resolve("app.aot")) ? this.output.resolve("app.aot")
				: this.output.resolve("app.jsa");
		if (!Files.isRegularFile(cache)) {
			throw new IOException("The training run ended normally but wrote no " + cache.getFileName()
					+ "; see the JVM's messages above");
		}
		this.log.accept("fast start: trained " + cache + " (" + Files.size(cache) / (1024 * 1024) + " MiB)");
		return cache;
	}

	private static int javaFeatureVersion(String java) throws IOException, InterruptedException {
		String output = run(List.of(java, "-version"));
		Matcher matcher = Pattern.compile("version \"(1\\.)?(\\d+)").matcher(output);
		if (!matcher.find()) {
			throw new IOException("Could not tell the version of " + java + " from: " + output.strip());
		}
		return Integer.parseInt(matcher.group(2));
	}

	private static String run(List<String> command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
			process.destroyForcibly();
			throw new IOException(String.join(" ", command) + " failed: " + output.strip());
		}
		return output;
	}

	static String shellQuote(String value) {
		return value.matches("[A-Za-z0-9_@%+=:,./-]+") ? value : "'" + value.replace("'", "'\\''") + "'";
	}

}
