package io.pluginrpc.reliability;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where reliability tests note their figures (faults survived, inputs tried, cycles,
 * calls by status, writes lost), one file per test class:
 * {@code target/reliability/<Class>.properties} of the module the tests run in.
 * {@code ReliabilityReport} in the sample host turns all modules' files into
 * {@code RELIABILITY.md}.
 * <p>
 * A test records a figure only after the assertions that prove it passed, so a figure in
 * a file is one a green test backs. Every file carries the {@link #RUN run} it belongs
 * to: the Maven build's start time, passed to surefire and failsafe as the system
 * property {@code reliability.run}. A file of an earlier run is replaced, never merged
 * into, and the report takes only files of its own run.
 * <p>
 * The report totals counts by the key's ending: {@code .faults} (faults survived),
 * {@code .inputs} (inputs tried), {@code .rejected} (bad inputs rejected),
 * {@code .cycles}, {@code .calls.ok}, {@code .calls.<STATUS>} (failed calls) and
 * {@code .lost}; keys below {@code .parameter.} are the test's own settings, not
 * measurements; other keys are only listed.
 */
public final class ReliabilityRecord {

	/** The directory below a module's working directory that holds the records. */
	public static final Path DIRECTORY = Path.of("target", "reliability");

	/** The key of a file that names the run it belongs to. */
	public static final String RUN_KEY = "run";

	/**
	 * The run of this JVM: the build's {@code reliability.run}, or, outside a Maven
	 * build, one of this JVM alone (the report never takes such a run).
	 */
	public static final String RUN = System.getProperty("reliability.run", "jvm-" + ProcessHandle.current().pid() + "-"
			+ ProcessHandle.current().info().startInstant().map(Object::toString).orElse("?"));

	private ReliabilityRecord() {
	}

	/**
	 * Notes one figure of a test. Call it after the assertions that back the figure.
	 * @param test the test class
	 * @param key what was counted, e.g. {@code load.calls.ok}
	 * @param value the figure
	 */
	public static synchronized void put(Class<?> test, String key, Object value) {
		Path file = DIRECTORY.toAbsolutePath().resolve(test.getSimpleName() + ".properties");
		try {
			Files.createDirectories(file.getParent());
			Properties figures = new Properties();
			if (Files.exists(file)) {
				try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
					figures.load(in);
				}
				if (!RUN.equals(figures.getProperty(RUN_KEY))) {
					// Left by an earlier run: its figures are not this run's.
					figures.clear();
				}
			}
			figures.setProperty(RUN_KEY, RUN);
			figures.setProperty(key, String.valueOf(value));
			try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
				figures.store(out, test.getName());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot record " + key + " of " + test.getName() + " in " + file, ex);
		}
	}

}
