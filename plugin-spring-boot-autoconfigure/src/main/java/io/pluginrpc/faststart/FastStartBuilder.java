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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns a Spring Boot plugin jar into a directory that starts fast: the jar extracted (no nested-jar
 * class loading), a launcher script the host execs, and a JVM cache from one training run: a JDK 25+
 * AOT cache (classes loaded, linked and profiled ahead of time) or, on older JDKs, a dynamic CDS
 * archive. A build runs it once after {@code package}; see the README's "Fast start".
 * <p>
 * Usage: {@code FastStartBuilder --jar app.jar --cookie KEY=VALUE [--output dir] [--java path]
 * [--launcher name] [--jvm-option option]... [--no-training]}. Both caches hold absolute paths: after
 * moving the directory, run it again with {@code --train-only --output dir}.
 */
public final class FastStartBuilder {

	/**
	 * Options for a plugin: the serial collector (small heaps, no GC threads to start), C1 only, JVM
	 * messages on stderr (where they cannot corrupt the handshake). C1 only trades peak throughput for
	 * start-up: on 2 cores, C2 compiling what the cache's training profiles mark hot made the sample's
	 * first call take 0.9 s instead of 0.4 s.
	 */
	static final List<String> DEFAULT_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
			"-Xlog:disable", "-Xlog:all=warning:stderr");

	private FastStartBuilder() {
	}

	public static void main(String[] args) throws Exception {
		try {
			Settings settings = Settings.parse(args);
			if (!settings.trainOnly) {
				build(settings);
			}
			if (settings.train) {
				train(settings);
			}
		}
		catch (IllegalArgumentException | IOException ex) {
			System.err.println("fast start: " + ex.getMessage());
			System.exit(2);
		}
	}

	private static void build(Settings settings) throws IOException, InterruptedException {
		Path output = settings.output;
		if (Files.exists(output)) {
			try (Stream<Path> paths = Files.walk(output)) {
				for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
					Files.delete(path);
				}
			}
		}
		Files.createDirectories(output);
		run(List.of(settings.java, "-Djarmode=tools", "-jar", settings.jar.toString(), "extract", "--destination",
				output.toString(), "--application-filename", "app.jar", "--force"), Map.of());
		int feature = javaFeatureVersion(settings.java);
		List<String> options = new ArrayList<>(DEFAULT_OPTIONS);
		if (feature >= 22) {
			// netty loads its epoll library through System.loadLibrary; JDK 24+ warns on stderr without this.
			options.add("--enable-native-access=ALL-UNNAMED");
		}
		if (feature >= 24) {
			// protobuf-java uses sun.misc.Unsafe; JDK 24+ warns on stderr at every start, which hosts log.
			options.add("--sun-misc-unsafe-memory-access=allow");
		}
		options.addAll(settings.jvmOptions);
		String launcher;
		try (InputStream in = FastStartBuilder.class.getResourceAsStream("launcher.sh")) {
			launcher = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		launcher = launcher.replace("@java@", settings.java)
			.replace("@cache@", (feature >= 25) ? "aot" : "cds")
			.replace("@options@", String.join(" ", options.stream().map(FastStartBuilder::shellQuote).toList()));
		Path script = output.resolve(settings.launcher);
		Files.writeString(script, launcher);
		Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
		System.err.println("fast start: " + script + " (java " + feature + ", "
				+ ((feature >= 25) ? "AOT cache" : "dynamic CDS archive") + ")");
	}

	private static void train(Settings settings) throws IOException, InterruptedException {
		Path script = settings.output.resolve(settings.launcher);
		if (!Files.isExecutable(script)) {
			throw new IOException(script + " is missing; build the fast-start directory first");
		}
		Map<String, String> environment = new LinkedHashMap<>(settings.cookie);
		environment.put("AOT_TRAINING_RUN", "1");
		new TrainingRun(List.of(script.toString()), environment).run();
		Path cache = Files.exists(settings.output.resolve("app.aot")) ? settings.output.resolve("app.aot")
				: settings.output.resolve("app.jsa");
		if (!Files.isRegularFile(cache)) {
			throw new IOException("The training run ended normally but wrote no " + cache.getFileName()
					+ "; see the JVM's messages above");
		}
		System.err.println("fast start: trained " + cache + " (" + Files.size(cache) / (1024 * 1024) + " MiB)");
	}

	private static int javaFeatureVersion(String java) throws IOException, InterruptedException {
		String output = run(List.of(java, "-version"), Map.of());
		Matcher matcher = Pattern.compile("version \"(1\\.)?(\\d+)").matcher(output);
		if (!matcher.find()) {
			throw new IOException("Could not tell the version of " + java + " from: " + output.strip());
		}
		return Integer.parseInt(matcher.group(2));
	}

	private static String run(List<String> command, Map<String, String> environment)
			throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().putAll(environment);
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
			process.destroyForcibly();
			throw new IOException(String.join(" ", command) + " failed: " + output.strip());
		}
		return output;
	}

	private static String shellQuote(String value) {
		return value.matches("[A-Za-z0-9_@%+=:,./-]+") ? value : "'" + value.replace("'", "'\\''") + "'";
	}

	/** Command-line settings. */
	private static final class Settings {

		Path jar;

		Path output = Path.of("target", "fast-start");

		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

		String launcher = "plugin";

		final Map<String, String> cookie = new LinkedHashMap<>();

		final List<String> jvmOptions = new ArrayList<>();

		boolean train = true;

		boolean trainOnly;

		static Settings parse(String[] args) {
			Settings settings = new Settings();
			for (int i = 0; i < args.length; i++) {
				String option = args[i];
				if (option.equals("--no-training")) {
					settings.train = false;
					continue;
				}
				if (option.equals("--train-only")) {
					settings.trainOnly = true;
					continue;
				}
				if (i + 1 >= args.length) {
					throw new IllegalArgumentException("expected a value after " + option);
				}
				String value = args[++i];
				switch (option) {
					case "--jar" -> settings.jar = Path.of(value).toAbsolutePath();
					case "--output" -> settings.output = Path.of(value);
					case "--java" -> settings.java = value;
					case "--launcher" -> settings.launcher = value;
					case "--jvm-option" -> settings.jvmOptions.add(value);
					case "--cookie" -> {
						int equals = value.indexOf('=');
						if (equals < 1) {
							throw new IllegalArgumentException("expected --cookie KEY=VALUE (the plugin's magic cookie), got '"
									+ value + "'");
						}
						settings.cookie.put(value.substring(0, equals), value.substring(equals + 1));
					}
					default -> throw new IllegalArgumentException("unknown option " + option + "; expected --jar, --output, "
							+ "--java, --launcher, --jvm-option, --cookie, --no-training or --train-only");
				}
			}
			settings.output = settings.output.toAbsolutePath();
			if (!settings.trainOnly && (settings.jar == null || !Files.isRegularFile(settings.jar))) {
				throw new IllegalArgumentException("expected --jar with the plugin's Spring Boot jar, got "
						+ ((settings.jar != null) ? settings.jar : "none"));
			}
			if (settings.train && settings.cookie.isEmpty()) {
				throw new IllegalArgumentException("the training run needs the plugin's magic cookie: --cookie KEY=VALUE");
			}
			return settings;
		}

	}

}
