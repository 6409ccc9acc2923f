package io.pluginrpc.integration;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

import io.pluginrpc.reliability.ReliabilityRecord;

/**
 * Writes {@code RELIABILITY.md} at the repository root when the integration tests of this
 * module end (it is built last, after every module it reads figures from), but only from
 * a complete, green run: every {@code *IT} class of this module ran and nothing failed,
 * was aborted or skipped; no test filter ({@code -Dtest}, {@code -Dit.test}, groups) and
 * no ignored failures; and every module's {@link ReliabilityRecord} file belongs to this
 * build's run ({@code reliability.run}). A file of another run means a test that did not
 * run green in this build (or a module that was not built): the report is then left
 * untouched and the reason printed. The report names the commit it was made from,
 * {@code dirty} when the work tree has other changes.
 * <p>
 * Registered both as a session listener (the end of the run) and as an execution listener
 * (what ran); JUnit creates one instance per registration, so they share static state.
 * One failsafe JVM runs the module's tests.
 */
public final class ReliabilityReport implements LauncherSessionListener, TestExecutionListener {

	/** Properties that select a subset of the tests, or let a failed run pass. */
	private static final List<String> SUBSET_PROPERTIES = List.of("test", "it.test", "groups", "excludedGroups",
			"maven.test.failure.ignore");

	private static final Set<String> succeededClasses = ConcurrentHashMap.newKeySet();

	private static final List<String> problems = new CopyOnWriteArrayList<>();

	@Override
	public void executionFinished(TestIdentifier test, TestExecutionResult result) {
		if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
			problems.add(test.getDisplayName() + " (" + test.getUniqueId() + "): " + result.getStatus());
		}
		else if (test.getSource().orElse(null) instanceof ClassSource source) {
			// A class container ends SUCCESSFUL even when its tests fail; those failures
			// are counted above.
			succeededClasses.add(source.getClassName());
		}
	}

	@Override
	public void executionSkipped(TestIdentifier test, String reason) {
		problems.add(test.getDisplayName() + " (" + test.getUniqueId() + "): skipped, " + reason);
	}

	@Override
	public void launcherSessionClosed(LauncherSession session) {
		Path root = Path.of("").toAbsolutePath().getParent();
		if (root == null || !Files.exists(root.resolve("mvnw"))) {
			return;
		}
		Set<String> integrationTests = integrationTests();
		if (succeededClasses.stream().noneMatch(integrationTests::contains) && problems.isEmpty()) {
			// Not the integration test run (the unit tests of this module end here too).
			return;
		}
		List<String> reasons = new ArrayList<>(incompleteness(integrationTests));
		try {
			Map<String, Properties> records = read(root);
			records.forEach((test, figures) -> {
				if (!ReliabilityRecord.RUN.equals(figures.getProperty(ReliabilityRecord.RUN_KEY))) {
					reasons.add(test + " is from run " + figures.getProperty(ReliabilityRecord.RUN_KEY, "?")
							+ ", not this one (" + ReliabilityRecord.RUN
							+ "): its test did not run green in this build "
							+ "(a removed test's file goes with './mvnw clean')");
				}
			});
			if (records.isEmpty()) {
				reasons.add("no figures were recorded");
			}
			if (!reasons.isEmpty()) {
				System.err.println("RELIABILITY.md left as it is, this run is not a complete green one:\n  - "
						+ String.join("\n  - ", reasons));
				return;
			}
			Files.writeString(root.resolve("RELIABILITY.md"), render(records, commit(root)), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write RELIABILITY.md in " + root, ex);
		}
	}

	/**
	 * @return why this JVM's run is not a complete, green one (empty if it is)
	 */
	static List<String> incompleteness(Set<String> integrationTests) {
		List<String> reasons = new ArrayList<>();
		if (System.getProperty("reliability.run") == null) {
			reasons.add("not a Maven build (no reliability.run property)");
		}
		for (String property : SUBSET_PROPERTIES) {
			String value = System.getProperty(property);
			if (value != null && !value.isBlank() && !value.equals("false")) {
				reasons.add("-D" + property + "=" + value + " (a subset of the suite, or failures ignored)");
			}
		}
		Set<String> notRun = new TreeSet<>(integrationTests);
		notRun.removeAll(succeededClasses);
		if (!notRun.isEmpty()) {
			reasons.add("integration tests that did not run to the end: " + notRun);
		}
		problems.forEach((problem) -> reasons.add("not green: " + problem));
		return reasons;
	}

	/**
	 * @return the classes failsafe runs by default ({@code IT*}, {@code *IT},
	 * {@code *ITCase}) in this module
	 */
	static Set<String> integrationTests() {
		Path classes;
		try {
			classes = Path.of(ReliabilityReport.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
		Set<String> tests = new TreeSet<>();
		try (Stream<Path> files = Files.walk(classes)) {
			files.map(classes::relativize)
				.map(Path::toString)
				.filter((f) -> f.endsWith(".class") && !f.contains("$"))
				.forEach((file) -> {
					String name = file.substring(file.lastIndexOf(File.separatorChar) + 1,
							file.length() - ".class".length());
					if (name.startsWith("IT") || name.endsWith("IT") || name.endsWith("ITCase")) {
						tests
							.add(file.substring(0, file.length() - ".class".length()).replace(File.separatorChar, '.'));
					}
				});
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot list the test classes in " + classes, ex);
		}
		return tests;
	}

	/**
	 * @return each record by {@code module/Test}, in order
	 */
	static Map<String, Properties> read(Path root) throws IOException {
		Map<String, Properties> records = new TreeMap<>();
		try (Stream<Path> modules = Files.list(root)) {
			for (Path module : modules.filter((m) -> Files.isDirectory(m.resolve(ReliabilityRecord.DIRECTORY)))
				.toList()) {
				try (Stream<Path> files = Files.list(module.resolve(ReliabilityRecord.DIRECTORY))) {
					for (Path file : files.filter((f) -> f.toString().endsWith(".properties")).toList()) {
						Properties figures = new Properties();
						try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
							figures.load(in);
						}
						String test = file.getFileName().toString().replace(".properties", "");
						records.put(module.getFileName() + "/" + test, figures);
					}
				}
			}
		}
		return records;
	}

	/**
	 * @param root the repository
	 * @return {@code git rev-parse HEAD}, with {@code dirty} when anything but
	 * RELIABILITY.md itself (which an earlier run may have rewritten) differs from it
	 */
	static String commit(Path root) {
		try {
			String head = git(root, "rev-parse", "HEAD").strip();
			boolean dirty = git(root, "status", "--porcelain").lines()
				.anyMatch((line) -> !line.substring(Math.min(3, line.length())).equals("RELIABILITY.md"));
			return head + (dirty ? " (dirty: the work tree had uncommitted changes)" : "");
		}
		catch (IOException | InterruptedException ex) {
			return "unknown (" + ex.getMessage() + ")";
		}
	}

	private static String git(Path root, String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("git", "-C", root.toString()));
		command.addAll(List.of(args));
		File output = File.createTempFile("git", ".out");
		try {
			// Output to a file, so waitFor's bound holds even if git fills a pipe.
			Process git = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output).start();
			if (!git.waitFor(60, TimeUnit.SECONDS)) {
				git.destroyForcibly();
				throw new IOException(String.join(" ", command) + " did not finish within 60 s");
			}
			String text = Files.readString(output.toPath());
			if (git.exitValue() != 0) {
				throw new IOException(
						String.join(" ", command) + " failed (exit " + git.exitValue() + "): " + text.strip());
			}
			return text;
		}
		finally {
			Files.deleteIfExists(output.toPath());
		}
	}

	static String render(Map<String, Properties> records, String commit) {
		String run = records.values().iterator().next().getProperty(ReliabilityRecord.RUN_KEY);
		StringBuilder md = new StringBuilder();
		md.append("# Reliability\n\n")
			.append("Written by the test suite: each reliability test records its figures in `<module>/target/reliability/`\n")
			.append("after the assertions that back them, and `ReliabilityReport` (integration tests, the last module of the\n")
			.append("build) collects them here, only after a complete, green `./mvnw verify` (all tests, no filter), from\n")
			.append("that build's figures alone. Keys with `.parameter.` are the test's settings, not measurements.\n\n")
			.append("- Commit: ")
			.append(commit)
			.append('\n')
			.append("- Build started: ")
			.append(run)
			.append('\n')
			.append("- Machine: ")
			.append(Runtime.getRuntime().availableProcessors())
			.append(" CPUs (nproc), ")
			.append(System.getProperty("os.name"))
			.append(" kernel ")
			.append(System.getProperty("os.version"))
			.append(", ")
			.append(System.getProperty("os.arch"))
			.append('\n')
			.append("- JDK: ")
			.append(System.getProperty("java.vm.vendor"))
			.append(' ')
			.append(System.getProperty("java.runtime.version"))
			.append("\n\n");
		md.append("## Totals\n\n")
			.append("| Faults survived | Inputs tried | Bad inputs rejected | Start/stop cycles | Calls ok | Calls failed with a clear status | Acknowledged writes lost |\n")
			.append("|---:|---:|---:|---:|---:|---:|---:|\n")
			.append("| ")
			.append(total(records, (k) -> k.endsWith(".faults")))
			.append(" | ")
			.append(total(records, (k) -> k.endsWith(".inputs")))
			.append(" | ")
			.append(total(records, (k) -> k.contains(".rejected")))
			.append(" | ")
			.append(total(records, (k) -> k.endsWith(".cycles")))
			.append(" | ")
			.append(total(records, (k) -> k.endsWith(".calls.ok")))
			.append(" | ")
			.append(total(records, (k) -> k.contains(".calls.") && !k.endsWith(".calls.ok")))
			.append(" | ")
			.append(total(records, (k) -> k.endsWith(".lost")))
			.append(" |\n\n");
		md.append("## By test\n");
		records.forEach((test, figures) -> {
			md.append("\n### ").append(test).append("\n\n| Figure | Value |\n|---|---|\n");
			for (String key : new TreeSet<>(figures.stringPropertyNames())) {
				if (!key.equals(ReliabilityRecord.RUN_KEY)) {
					md.append("| ")
						.append(key)
						.append(" | ")
						.append(figures.getProperty(key).replace("|", "\\|"))
						.append(" |\n");
				}
			}
		});
		return md.toString();
	}

	private static long total(Map<String, Properties> records, Predicate<String> key) {
		long total = 0;
		for (Properties figures : records.values()) {
			for (String name : figures.stringPropertyNames()) {
				if (key.test(name) && !name.contains(".parameter.")) {
					try {
						total += Long.parseLong(figures.getProperty(name).trim());
					}
					catch (NumberFormatException ex) {
						// A figure that is not a count is listed but not totalled.
					}
				}
			}
		}
		return total;
	}

}
