package io.pluginrpc.logging;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Host-side reading of plugin stderr lines against go-plugin's rules, including the panic
 * rule.
 */
class HclogLineParserTest {

	private static final String TS = "\"@timestamp\":\"2026-11-23T06:50:01.123456+01:00\"";

	private final HclogLineParser parser = new HclogLineParser();

	@Test
	void readsAGoPluginLogEntryKeepingEveryOtherKeyInOrder() {
		HclogLine line = this.parser.parse("{\"@level\":\"warn\",\"@message\":\"disk full\",\"@module\":\"kv\"," + TS
				+ ",\"@caller\":\"main.go:12\",\"path\":\"/var\",\"free\":0,\"ratio\":0.5,\"ok\":false,\"none\":null,"
				+ "\"tags\":[\"a\",1],\"sub\":{\"x\":\"y\"},\"big\":123456789012345678901234567890}");
		assertThat(line.json()).isTrue();
		assertThat(line.level()).isEqualTo(PluginLogLevel.WARN);
		assertThat(line.message()).isEqualTo("disk full");
		assertThat(line.timestamp()).isEqualTo(Instant.parse("2026-11-23T05:50:01.123456Z"));
		assertThat(line.fields()).containsExactly(Map.entry("@module", "kv"), Map.entry("@caller", "main.go:12"),
				Map.entry("path", "/var"), Map.entry("free", 0), Map.entry("ratio", 0.5), Map.entry("ok", false),
				new java.util.AbstractMap.SimpleEntry<>("none", null), Map.entry("tags", List.of("a", 1)),
				Map.entry("sub", Map.of("x", "y")), Map.entry("big", new BigInteger("123456789012345678901234567890")));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> line.fields().put("x", 1));
	}

	static Stream<Arguments> lines() {
		String big = "y".repeat(1024 * 1024);
		return Stream.of(
				// hclog JSON at each level; hclog trims and lower-cases the level name
				arguments("{\"@level\":\"trace\",\"@message\":\"m\"}", PluginLogLevel.TRACE, true, "m"),
				arguments("{\"@level\":\"debug\",\"@message\":\"m\"}", PluginLogLevel.DEBUG, true, "m"),
				arguments("{\"@level\":\"info\",\"@message\":\"m\"," + TS + "}", PluginLogLevel.INFO, true, "m"),
				arguments("{\"@level\":\"warn\",\"@message\":\"m\"}", PluginLogLevel.WARN, true, "m"),
				arguments("{\"@level\":\"error\",\"@message\":\"m\"}", PluginLogLevel.ERROR, true, "m"),
				arguments("{\"@level\":\" TRACE \",\"@message\":\"m\"}", PluginLogLevel.TRACE, true, "m"),
				arguments("{\"@level\":\"Error\",\"@message\":\"m\"}", PluginLogLevel.ERROR, true, "m"),
				arguments("  {\"@level\":\"info\",\"@message\":\"m\"}  ", PluginLogLevel.INFO, true, "m"),
				// a missing message is an empty one, as in Go
				arguments("{\"@level\":\"info\"}", PluginLogLevel.INFO, true, ""),
				// unknown or missing level: the raw line at debug
				arguments("{\"@level\":\"warning\",\"@message\":\"m\"}", PluginLogLevel.DEBUG, false, null),
				arguments("{\"@level\":\"fatal\",\"@message\":\"m\"}", PluginLogLevel.DEBUG, false, null),
				arguments("{\"@level\":\"off\",\"@message\":\"m\"}", PluginLogLevel.DEBUG, false, null),
				arguments("{\"@level\":\"\",\"@message\":\"m\"}", PluginLogLevel.DEBUG, false, null),
				arguments("{\"@message\":\"m\"}", PluginLogLevel.DEBUG, false, null),
				arguments("{\"level\":\"info\",\"msg\":\"logrus shape\"}", PluginLogLevel.DEBUG, false, null),
				// a present timestamp must follow the layout exactly
				arguments("{\"@level\":\"info\",\"@message\":\"m\",\"@timestamp\":\"2026-11-23T06:50:01Z\"}",
						PluginLogLevel.DEBUG, false, null),
				arguments("{\"@level\":\"info\",\"@message\":\"m\",\"@timestamp\":\"2026-11-23T06:50:01.123Z\"}",
						PluginLogLevel.DEBUG, false, null),
				arguments("{\"@level\":\"info\",\"@message\":\"m\",\"@timestamp\":1700000000}", PluginLogLevel.DEBUG,
						false, null),
				// non-string reserved keys: Go's host would panic, we log the line
				arguments("{\"@level\":3,\"@message\":\"m\"}", PluginLogLevel.DEBUG, false, null),
				arguments("{\"@level\":\"info\",\"@message\":{}}", PluginLogLevel.DEBUG, false, null),
				arguments("{\"@level\":\"info\",\"@message\":null}", PluginLogLevel.DEBUG, false, null),
				arguments("{\"@level\":[\"info\"],\"@message\":\"m\"}", PluginLogLevel.DEBUG, false, null),
				arguments("{\"@level\":\"info\",\"@message\":\"m\",\"@timestamp\":null}", PluginLogLevel.DEBUG, false,
						null),
				// not an object, or not only an object
				arguments("[\"@level\",\"info\"]", PluginLogLevel.DEBUG, false, null),
				arguments("\"info\"", PluginLogLevel.DEBUG, false, null),
				arguments("{not json", PluginLogLevel.DEBUG, false, null),
				arguments("{\"@level\":\"info\",\"@message\":\"m\"} trailing", PluginLogLevel.DEBUG, false, null),
				arguments("{\"@level\":\"info\",\"@message\":\"m\"}{}", PluginLogLevel.DEBUG, false, null),
				arguments("{\"a\":" + "[".repeat(100_000), PluginLogLevel.DEBUG, false, null),
				// plain lines: [LEVEL] prefixes, exact and at the start, as Go's
				// strings.HasPrefix
				arguments("[TRACE] t", PluginLogLevel.TRACE, false, null),
				arguments("[DEBUG] d", PluginLogLevel.DEBUG, false, null),
				arguments("[INFO] i", PluginLogLevel.INFO, false, null),
				arguments("[WARN] plain warning", PluginLogLevel.WARN, false, null),
				arguments("[WARN]no space", PluginLogLevel.WARN, false, null),
				arguments("[ERROR] plain error", PluginLogLevel.ERROR, false, null),
				arguments("[warn] lower case", PluginLogLevel.DEBUG, false, null),
				arguments("[WARNING] longer", PluginLogLevel.DEBUG, false, null),
				arguments(" [ERROR] indented", PluginLogLevel.DEBUG, false, null),
				arguments("panic: runtime error", PluginLogLevel.ERROR, false, null),
				arguments("fatal error: all goroutines are asleep - deadlock!", PluginLogLevel.ERROR, false, null),
				arguments("just text", PluginLogLevel.DEBUG, false, null),
				arguments("", PluginLogLevel.DEBUG, false, null), arguments("   ", PluginLogLevel.DEBUG, false, null),
				// huge lines
				arguments(big, PluginLogLevel.DEBUG, false, null),
				arguments("{\"@level\":\"info\",\"@message\":\"" + big + "\"}", PluginLogLevel.INFO, true, big));
	}

	@ParameterizedTest(name = "[{index}] {1} json={2}")
	@MethodSource("lines")
	void mapsLevelsLikeGoPluginButNeverFails(String text, PluginLogLevel level, boolean json, String message) {
		HclogLine line = this.parser.parse(text);
		assertThat(line.level()).isEqualTo(level);
		assertThat(line.json()).isEqualTo(json);
		if (json) {
			assertThat(line.message()).isEqualTo(message);
		}
		else {
			assertThat(line.message()).as("a plain line is logged verbatim").isEqualTo(text);
			assertThat(line.fields()).isEmpty();
			assertThat(line.timestamp()).isNull();
		}
	}

	@Test
	void treatsNullAsAnEmptyLine() {
		assertThat(this.parser.parse(null)).isEqualTo(new HclogLine(PluginLogLevel.DEBUG, "", null, Map.of(), false));
	}

	@Test
	void lastDuplicateKeyWinsAsInGo() {
		HclogLine line = this.parser
			.parse("{\"@level\":\"debug\",\"@level\":\"error\",\"@message\":\"m\",\"k\":1,\"k\":2}");
		assertThat(line.level()).isEqualTo(PluginLogLevel.ERROR);
		assertThat(line.fields()).containsExactly(Map.entry("k", 2));
	}

	@Test
	void makesPlainLinesErrorsOnlyWhenToldAPanicCameBefore() {
		assertThat(this.parser.parse("goroutine 1 [running]:").level()).isEqualTo(PluginLogLevel.DEBUG);
		assertThat(this.parser.parse("goroutine 1 [running]:", true).level()).isEqualTo(PluginLogLevel.ERROR);
		assertThat(this.parser.parse("[WARN] w", true).level()).isEqualTo(PluginLogLevel.ERROR);
		assertThat(this.parser.parse("{\"@level\":\"info\",\"@message\":\"m\"}", true).level())
			.isEqualTo(PluginLogLevel.INFO);
		assertThat(this.parser.parse("{\"@level\":\"other\",\"@message\":\"m\"}", true).level())
			.as("a JSON line with an unknown level is not part of a crash dump")
			.isEqualTo(PluginLogLevel.DEBUG);
	}

	@Test
	void classifierLogsEveryPlainLineAfterAPanicAsAnErrorUntilReset() {
		PluginStderrClassifier classifier = new PluginStderrClassifier();
		assertThat(classifier.classify("starting").level()).isEqualTo(PluginLogLevel.DEBUG);
		assertThat(classifier.classify("[WARN] careful").level()).isEqualTo(PluginLogLevel.WARN);
		assertThat(classifier.classify("{\"@level\":\"info\",\"@message\":\"panic: not a real one\"}").level())
			.isEqualTo(PluginLogLevel.INFO);
		assertThat(classifier.afterPanic()).isFalse();
		assertThat(classifier.classify("panic: runtime error: index out of range").level())
			.isEqualTo(PluginLogLevel.ERROR);
		assertThat(classifier.afterPanic()).isTrue();
		assertThat(classifier.classify("").level()).isEqualTo(PluginLogLevel.ERROR);
		assertThat(classifier.classify("goroutine 1 [running]:").level()).isEqualTo(PluginLogLevel.ERROR);
		assertThat(classifier.classify("[INFO] still the dump").level()).isEqualTo(PluginLogLevel.ERROR);
		assertThat(classifier.classify("{\"@level\":\"info\",\"@message\":\"m\"}").level())
			.isEqualTo(PluginLogLevel.INFO);
		assertThat(classifier.classify("main.main()").level()).isEqualTo(PluginLogLevel.ERROR);
		classifier.reset();
		assertThat(classifier.classify("a new process").level()).isEqualTo(PluginLogLevel.DEBUG);
		assertThat(classifier.classify("fatal error: concurrent map writes").level()).isEqualTo(PluginLogLevel.ERROR);
		assertThat(classifier.classify("runtime stack:").level()).isEqualTo(PluginLogLevel.ERROR);
	}

}
