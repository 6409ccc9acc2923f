package io.pluginrpc.reliability;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Properties;

/**
 * Where reliability tests note their figures (faults survived, inputs tried, cycles, calls by status,
 * writes lost), one file per test class: {@code target/reliability/<Class>.properties} of the module
 * the tests run in. {@code ReliabilityReport} in the sample host turns all modules' files into
 * {@code RELIABILITY.md}. Keys are merged into the file, so running one test method keeps the others'.
 * The report totals counts by the key's ending: {@code .faults} (faults survived), {@code .inputs}
 * (inputs tried), {@code .rejected} (bad inputs rejected), {@code .cycles}, {@code .calls.ok},
 * {@code .calls.<STATUS>} (failed calls) and {@code .lost}; other keys are only listed.
 */
public final class ReliabilityRecord {

	/** The directory below a module's working directory that holds the records. */
	public static final Path DIRECTORY = Path.of("target", "reliability");

	private ReliabilityRecord() {
	}

	/**
	 * Notes one figure of a test, with the time it was taken.
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
			}
			figures.setProperty(key, String.valueOf(value));
			figures.setProperty(key + ".recorded", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
			try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
				figures.store(out, test.getName());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot record " + key + " of " + test.getName() + " in " + file, ex);
		}
	}

}
