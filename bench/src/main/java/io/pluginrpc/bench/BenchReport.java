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
import java.util.function.DoublePredicate;

/**
 * Turns the {@code BENCH <name> <value> <unit>} lines of one bench/run.sh run into the table printed at
 * the end and into BENCHMARKS.md: each Java figure next to its Go counterpart (the same name with
 * {@code go-host} for {@code java-host}, or {@code go-plugin} for a Java plugin's start) and the
 * ratio, and the targets checked against the figures.
 *
 * <pre>BenchReport &lt;bench lines file&gt; &lt;BENCHMARKS.md&gt; &lt;machine description&gt; [notes.md]</pre>
 */
public final class BenchReport {

	private final Map<String, Figure> figures = new LinkedHashMap<>();

	private BenchReport(List<String> lines) {
		for (String line : lines) {
			String[] parts = line.trim().split("\\s+");
			if (parts.length == 4 && parts[0].equals("BENCH")) {
				this.figures.put(parts[1], new Figure(parts[1], Double.parseDouble(parts[2]), parts[3]));
			}
		}
	}

	public static void main(String[] args) throws IOException {
		BenchReport report = new BenchReport(Files.readAllLines(Path.of(args[0])));
		String table = report.table();
		String targets = report.targets();
		System.out.println(table);
		System.out.println(targets);
		String markdown = "# Benchmarks\n\n" + "Produced by `bench/run.sh` (see README); every figure below comes from one run, Java and Go side by side"
				+ " on the same machine. Ratio = Java figure / Go figure (for throughput, Go / Java), so below 1.00 means the"
				+ " Java side is better.\n\n" + "Run: " + args[2] + "\n\n## Figures\n\n" + table + "\n## Targets (issue #5)\n\n" + targets
				+ "\n## Raw lines\n\n```\n" + String.join("\n", report.figures.values().stream().map(Figure::line).toList())
				+ "\n```\n" + ((args.length > 3) ? "\n" + Files.readString(Path.of(args[3])) : "");
		Files.writeString(Path.of(args[1]), markdown, StandardCharsets.UTF_8);
	}

	private String table() {
		StringBuilder out = new StringBuilder();
		out.append("| figure | Java | Go counterpart | Go | ratio |\n|---|---:|---|---:|---:|\n");
		for (Figure figure : this.figures.values()) {
			if (figure.name().contains("go-host") || figure.name().startsWith("start.go-plugin")) {
				continue;
			}
			Figure go = this.figures.get(counterpart(figure.name()));
			out.append("| ").append(figure.name()).append(" | ").append(figure.formatted()).append(" | ");
			if (go != null && go.value() > 0 && figure.value() > 0) {
				out.append(go.name()).append(" | ").append(go.formatted()).append(" | ")
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

	private String targets() {
		List<String> rows = new ArrayList<>();
		rows.add("| target | figure | measured | met |\n|---|---|---:|:---:|");
		ratioTarget(rows, "launch Java host -> Go plugin within 1.5x of the Go host", "launch.java-host.go-plugin.plaintext.median", 1.5);
		ratioTarget(rows, "launch with AutoMTLS no slower than the Go host", "launch.java-host.go-plugin.automtls.median", 1.0);
		ratioTarget(rows, "unary mean within 1.1x (Java host -> Go plugin)", "unary.java-host.go-plugin.unix.mean", 1.1);
		ratioTarget(rows, "unary p99 within 1.1x (Java host -> Go plugin)", "unary.java-host.go-plugin.unix.p99", 1.1);
		absoluteTarget(rows, "Spring Boot plugin exec to first call under 1.0 s (fast start)", "start.java-plugin.fast.first_call",
				(v) -> v < 1000);
		absoluteTarget(rows, "host with 10 idle plugins under 1% CPU", "overhead.java-host.go-plugin.idle_host_cpu", (v) -> v < 1.0);
		return String.join("\n", rows) + "\n";
	}

	private void ratioTarget(List<String> rows, String target, String name, double limit) {
		Figure java = this.figures.get(name);
		Figure go = (java != null) ? this.figures.get(counterpart(name)) : null;
		if (go == null) {
			rows.add("| " + target + " | " + name + " | not measured | — |");
			return;
		}
		double ratio = ratio(java, go);
		rows.add(String.format(Locale.ROOT, "| %s | %s | %s vs %s (%.2fx) | %s |", target, name, java.formatted(), go.formatted(),
				ratio, (ratio <= limit) ? "yes" : "**no**"));
	}

	private void absoluteTarget(List<String> rows, String target, String name, DoublePredicate met) {
		Figure figure = this.figures.get(name);
		rows.add("| " + target + " | " + name + " | " + ((figure != null) ? figure.formatted() : "not measured") + " | "
				+ ((figure == null) ? "—" : met.test(figure.value()) ? "yes" : "**no**") + " |");
	}

	private static String counterpart(String name) {
		if (name.contains("java-host")) {
			return name.replace("java-host", "go-host").replace(".threads_per_plugin", ".goroutines_per_plugin");
		}
		if (name.startsWith("start.java-plugin.")) {
			String metric = name.substring(name.lastIndexOf('.') + 1);
			return "start.go-plugin." + metric;
		}
		return "";
	}

	/** Java / Go for costs; Go / Java for throughput, so that below 1 always means Java is better. */
	private static double ratio(Figure java, Figure go) {
		return java.unit().endsWith("/s") ? go.value() / java.value() : java.value() / go.value();
	}

	private record Figure(String name, double value, String unit) {

		String formatted() {
			String format = (this.value >= 100) ? "%.0f %s" : (this.value >= 0.1 || this.value == 0) ? "%.2f %s" : "%.2g %s";
			return String.format(Locale.ROOT, format, this.value, this.unit);
		}

		String line() {
			return String.format(Locale.ROOT, "BENCH %s %.3f %s", this.name, this.value, this.unit);
		}

	}

}
