package io.pluginrpc.sample.host;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import io.pluginrpc.reliability.ReliabilityRecord;

/**
 * Writes {@code RELIABILITY.md} at the repository root when the sample host's test run ends (its module
 * is built last): every module's {@link ReliabilityRecord} files, totalled and listed, with the date,
 * the machine and the JDK. Figures of tests that did not run in this build keep the date they were
 * recorded, so a stale figure is visible as such.
 */
public final class ReliabilityReport implements LauncherSessionListener {

	@Override
	public void launcherSessionClosed(LauncherSession session) {
		Path root = Path.of("").toAbsolutePath().getParent();
		if (root == null || !Files.exists(root.resolve("mvnw"))) {
			return;
		}
		try {
			Map<String, Properties> records = read(root);
			if (!records.isEmpty()) {
				Files.writeString(root.resolve("RELIABILITY.md"), render(records), StandardCharsets.UTF_8);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write RELIABILITY.md in " + root, ex);
		}
	}

	/** @return each record by {@code module/Test}, in order */
	static Map<String, Properties> read(Path root) throws IOException {
		Map<String, Properties> records = new TreeMap<>();
		try (Stream<Path> modules = Files.list(root)) {
			for (Path module : modules.filter((m) -> Files.isDirectory(m.resolve(ReliabilityRecord.DIRECTORY))).toList()) {
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

	static String render(Map<String, Properties> records) {
		StringBuilder md = new StringBuilder();
		md.append("# Reliability\n\n")
			.append("Written by the test suite: each reliability test records its figures in `<module>/target/reliability/`,\n")
			.append("and `ReliabilityReport` (sample host tests, the last module of the build) collects them here.\n")
			.append("Regenerate with `./mvnw verify`.\n\n")
			.append("- Date: ").append(LocalDate.now()).append('\n')
			.append("- Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs (nproc), ")
			.append(System.getProperty("os.name")).append(" kernel ").append(System.getProperty("os.version"))
			.append(", ").append(System.getProperty("os.arch")).append('\n')
			.append("- JDK: ").append(System.getProperty("java.vm.vendor")).append(' ')
			.append(System.getProperty("java.runtime.version")).append("\n\n");
		md.append("## Totals\n\n")
			.append("| Faults survived | Inputs tried | Bad inputs rejected | Start/stop cycles | Calls ok | Calls failed with a clear status | Acknowledged writes lost |\n")
			.append("|---:|---:|---:|---:|---:|---:|---:|\n")
			.append("| ").append(total(records, (k) -> k.endsWith(".faults")))
			.append(" | ").append(total(records, (k) -> k.endsWith(".inputs")))
			.append(" | ").append(total(records, (k) -> k.contains(".rejected")))
			.append(" | ").append(total(records, (k) -> k.endsWith(".cycles")))
			.append(" | ").append(total(records, (k) -> k.endsWith(".calls.ok")))
			.append(" | ").append(total(records, (k) -> k.contains(".calls.") && !k.endsWith(".calls.ok")))
			.append(" | ").append(total(records, (k) -> k.endsWith(".lost")))
			.append(" |\n\n");
		md.append("## By test\n");
		records.forEach((test, figures) -> {
			md.append("\n### ").append(test).append("\n\n| Figure | Value | Recorded |\n|---|---|---|\n");
			for (String key : new TreeMap<>(figures).keySet().stream().map(Object::toString).toList()) {
				if (!key.endsWith(".recorded")) {
					md.append("| ").append(key).append(" | ").append(figures.getProperty(key).replace("|", "\\|"))
						.append(" | ").append(figures.getProperty(key + ".recorded", "")).append(" |\n");
				}
			}
		});
		return md.toString();
	}

	private static long total(Map<String, Properties> records, Predicate<String> key) {
		List<Long> values = new ArrayList<>();
		for (Properties figures : records.values()) {
			for (String name : figures.stringPropertyNames()) {
				if (key.test(name)) {
					try {
						values.add(Long.parseLong(figures.getProperty(name).trim()));
					}
					catch (NumberFormatException ex) {
						// A figure that is not a count is listed but not totalled.
					}
				}
			}
		}
		return values.stream().mapToLong(Long::longValue).sum();
	}

}
