package io.pluginrpc.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the {@code BENCH <name> <value> <unit>} lines of one bench/run.sh run into the
 * table printed at the end and into BENCHMARKS.md: each Java figure next to its Go
 * counterpart (the same name with {@code go-host} for {@code java-host}; with a Go host,
 * {@code go-plugin} for a Java plugin; for a Java plugin's start, the Go plugin's) and
 * the ratio, and the targets checked against the figures.
 * <p>
 * bench/run.sh measures every figure in several rounds, Java and Go interleaved so that
 * other load on the machine hits both alike; a name that occurs several times is reported
 * as the median of its rounds with their range (min-max), and ratios and targets use the
 * medians.
 *
 * <pre>BenchReport &lt;bench lines file&gt; &lt;BENCHMARKS.md&gt; &lt;machine description&gt; [notes.md]</pre>
 */
public final class BenchReport {

	private final Map<String, Figure> figures = new LinkedHashMap<>();

	BenchReport(List<String> lines) {
		Map<String, List<Double>> rounds = new LinkedHashMap<>();
		Map<String, String> units = new LinkedHashMap<>();
		for (String line : lines) {
			String[] parts = line.trim().split("\\s+");
			if (parts.length == 4 && parts[0].equals("BENCH")) {
				rounds.computeIfAbsent(parts[1], (name) -> new ArrayList<>()).add(Double.parseDouble(parts[2]));
				units.put(parts[1], parts[3]);
			}
		}
		rounds.forEach((name, values) -> this.figures.put(name, new Figure(name, values, units.get(name))));
	}

	public static void main(String[] args) throws IOException {
		BenchReport report = new BenchReport(Files.readAllLines(Path.of(args[0])));
		String table = report.table();
		String targets = report.targets();
		System.out.println(table);
		System.out.println(targets);
		String markdown = "# Benchmarks\n\n"
				+ "Produced by `bench/run.sh` (see README); every figure below comes from one run, Java and Go side by side"
				+ " on the same machine, each measured in several rounds (Java and Go interleaved) and given as the median of"
				+ " the rounds with their range. Ratio = Java figure / Go figure (for throughput, Go / Java), so below 1.00"
				+ " means the Java side is better.\n\n" + "Run: " + args[2] + "\n\n## Targets (issue #16)\n\n" + targets
				+ "\n## Figures\n\n" + table + "\n## Raw lines\n\n```\n"
				+ String.join("\n",
						report.figures.values().stream().flatMap((figure) -> figure.lines().stream()).toList())
				+ "\n```\n" + ((args.length > 3) ? "\n" + Files.readString(Path.of(args[3])) : "");
		Files.writeString(Path.of(args[1]), markdown, StandardCharsets.UTF_8);
	}

	String table() {
		StringBuilder out = new StringBuilder();
		out.append(
				"| figure | Java (median, range) | Go counterpart | Go (median, range) | ratio |\n|---|---:|---|---:|---:|\n");
		for (Figure figure : this.figures.values()) {
			if (figure.name().contains("go-host.go-plugin") || figure.name().startsWith("start.go-plugin")) {
				continue;
			}
			Figure go = this.figures.get(counterpart(figure.name()));
			out.append("| ").append(figure.name()).append(" | ").append(figure.formatted()).append(" | ");
			if (go != null && go.value() > 0 && figure.value() > 0) {
				out.append(go.name())
					.append(" | ")
					.append(go.formatted())
					.append(" | ")
					.append(String.format(Locale.ROOT, "%.2f", ratio(figure, go)));
			}
			else if (go != null) {
				out.append(go.name()).append(" | ").append(go.formatted()).append(" | —");
			}
			else {
				out.append("— | — | —");
			}
			out.append(" |\n");
		}
		return out.toString();
	}

	String targets() {
		List<String> rows = new ArrayList<>();
		rows.add("| target | figure | measured (medians) | limit | met |\n|---|---|---:|---:|:---:|");
		// 1. Plugin per call: a Go host calling our plugin, against the same Go host
		// calling a Go plugin.
		Map<String, String> packagings = new LinkedHashMap<>();
		packagings.put("java-plugin-fast", "fast start");
		packagings.put("java-plugin-fast-direct", "fast start, direct-executor");
		packagings.put("java-plugin", "java -jar");
		for (String packaging : packagings.keySet()) {
			for (String stat : List.of("mean", "p99")) {
				String label = packagings.get(packaging);
				compare(rows, "1. plugin per call, " + label + ": Go host unary " + stat + " vs Go plugin",
						"unary.go-host." + packaging + ".unix." + stat, "unary.go-host.go-plugin.unix." + stat, 1.2);
			}
		}
		absolute(rows, "1. fast start to the first call", "start.java-plugin.fast.first_call", 400);
		// 2. Host per call and under load.
		compare(rows, "2. host unary mean vs Go host (Go plugin)", "unary.java-host.go-plugin.unix.mean",
				"unary.go-host.go-plugin.unix.mean", 1.1);
		compare(rows, "2. host unary p99 vs Go host (Go plugin)", "unary.java-host.go-plugin.unix.p99",
				"unary.go-host.go-plugin.unix.p99", 1.1);
		for (String plugin : List.of("go-plugin", "java-plugin")) {
			compare(rows, "2. 64 callers, calls/s vs Go host (" + plugin + ")",
					"concurrency.java-host." + plugin + ".unix.calls_per_s",
					"concurrency.go-host." + plugin + ".unix.calls_per_s", 1.0);
			compare(rows, "2. 64 callers, p99 vs Go host (" + plugin + ")",
					"concurrency.java-host." + plugin + ".unix.p99", "concurrency.go-host." + plugin + ".unix.p99",
					1.0);
		}
		// 3. Launch.
		compare(rows, "3. launch to first call vs Go host", "launch.java-host.go-plugin.plaintext.median",
				"launch.go-host.go-plugin.plaintext.median", 1.5);
		compare(rows, "3. launch with AutoMTLS vs Go host", "launch.java-host.go-plugin.automtls.median",
				"launch.go-host.go-plugin.automtls.median", 1.0);
		// 4. Many plugins: the plugin phase against one plugin's, and against the CPU
		// bound.
		compare(rows, "4. plugin phase, 10 Go plugins vs 1", "many.java-host.go-plugin.10.phase",
				"many.java-host.go-plugin.1.phase", 2.0);
		compare(rows, "4. plugin phase, 10 fast-start Java plugins vs CPU bound",
				"many.java-host.java-plugin-fast.10.phase", "many.java-host.java-plugin-fast.10.cpu_bound", 1.25);
		// 5. Memory.
		absolute(rows, "5. fast-start plugin RSS at idle", "start.java-plugin.fast.rss_idle", 80);
		return String.join("\n", rows) + "\n";
	}

	/**
	 * A ratio target: {@code name}'s figure against {@code reference}'s (inverted for
	 * throughput).
	 */
	private void compare(List<String> rows, String target, String name, String reference, double limit) {
		Figure figure = this.figures.get(name);
		Figure base = this.figures.get(reference);
		if (figure == null || base == null || base.value() <= 0 || figure.value() <= 0) {
			rows.add("| " + target + " | " + name + " | not measured | " + limit + "x | — |");
			return;
		}
		double ratio = ratio(figure, base);
		rows.add(String.format(Locale.ROOT, "| %s | %s | %s vs %s (%.2fx) | %sx | %s |", target, name,
				figure.formattedMedian(), base.formattedMedian(), ratio, limit, (ratio <= limit) ? "yes" : "**no**"));
	}

	/** An upper bound in the figure's own unit. */
	private void absolute(List<String> rows, String target, String name, double limit) {
		Figure figure = this.figures.get(name);
		String measured = (figure != null) ? figure.formatted() : "not measured";
		String unit = (figure != null) ? " " + figure.unit() : "";
		String met = (figure == null) ? "—" : (figure.value() < limit) ? "yes" : "**no**";
		rows.add("| " + target + " | " + name + " | " + measured + " | " + String.format(Locale.ROOT, "%.0f", limit)
				+ unit + " | " + met + " |");
	}

	static String counterpart(String name) {
		if (name.contains("java-host")) {
			return name.replace("java-host", "go-host").replace(".threads_per_plugin", ".goroutines_per_plugin");
		}
		if (name.contains("go-host.java-plugin")) {
			// The same Go host calling a Go plugin: what our plugin costs against
			// go-plugin's.
			return name.replaceFirst("go-host\\.java-plugin(-[a-z-]+)?\\.", "go-host.go-plugin.");
		}
		if (name.startsWith("start.java-plugin.")) {
			String metric = name.substring(name.lastIndexOf('.') + 1);
			return "start.go-plugin." + metric;
		}
		return "";
	}

	/**
	 * Java / Go for costs; Go / Java for throughput, so that below 1 always means Java is
	 * better.
	 */
	private static double ratio(Figure java, Figure go) {
		return java.unit().endsWith("/s") ? go.value() / java.value() : java.value() / go.value();
	}

	Figure figure(String name) {
		return this.figures.get(name);
	}

	/** One figure over its rounds; {@link #value()} is their median. */
	record Figure(String name, List<Double> rounds, String unit) {

		double value() {
			List<Double> sorted = this.rounds.stream().sorted().toList();
			int n = sorted.size();
			return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
		}

		String formattedMedian() {
			return format(value()) + " " + this.unit;
		}

		/**
		 * The median, and with several rounds their range:
		 * {@code 102 us (95-130, 5 rounds)}.
		 */
		String formatted() {
			if (this.rounds.size() < 2) {
				return formattedMedian();
			}
			double min = this.rounds.stream().mapToDouble(Double::doubleValue).min().orElse(0);
			double max = this.rounds.stream().mapToDouble(Double::doubleValue).max().orElse(0);
			return formattedMedian() + " (" + format(min) + "–" + format(max) + ", " + this.rounds.size() + " rounds)";
		}

		private static String format(double value) {
			String format = (value >= 100) ? "%.0f" : (value >= 0.1 || value == 0) ? "%.2f" : "%.2g";
			return String.format(Locale.ROOT, format, value);
		}

		List<String> lines() {
			return this.rounds.stream()
				.map((value) -> String.format(Locale.ROOT, "BENCH %s %.3f %s", this.name, value, this.unit))
				.toList();
		}

	}

}
