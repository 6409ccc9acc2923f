package io.pluginrpc.logging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.event.KeyValuePair;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plugin-side hclog JSON lines: layout, escaping, fields, errors, and a round trip
 * through the parser.
 */
class HclogJsonEncoderTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final HclogJsonEncoder encoder = new HclogJsonEncoder();

	private final LoggerContext context = new LoggerContext();

	@Test
	void writesOneHclogJsonObjectPerLine() throws Exception {
		LoggingEvent event = event(Level.WARN, "disk \"almost\" full\tnow");
		event.setMDCPropertyMap(Map.of("request", "42"));
		event.addKeyValuePair(new KeyValuePair("path", "/var"));
		String line = new String(this.encoder.encode(event), StandardCharsets.UTF_8);
		assertThat(line).endsWith("}\n").doesNotContain("\t");
		assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
		assertThat(line).startsWith("{\"@level\":\"warn\",\"@message\":");
		assertThat(decode(line)).containsEntry("@level", "warn")
			.containsEntry("@message", "disk \"almost\" full\tnow")
			.containsEntry("@timestamp", "2026-11-23T06:50:01.123456Z")
			.containsEntry("@module", "io.pluginrpc.Test")
			.containsEntry("request", "42")
			.containsEntry("path", "/var");
	}

	@Test
	void mapsEveryLogbackLevelToAnHclogLevel() {
		assertThat(HclogJsonEncoder.level(Level.ERROR)).isEqualTo("error");
		assertThat(HclogJsonEncoder.level(Level.WARN)).isEqualTo("warn");
		assertThat(HclogJsonEncoder.level(Level.INFO)).isEqualTo("info");
		assertThat(HclogJsonEncoder.level(Level.DEBUG)).isEqualTo("debug");
		assertThat(HclogJsonEncoder.level(Level.TRACE)).isEqualTo("trace");
		assertThat(HclogJsonEncoder.level(Level.ALL)).isEqualTo("trace");
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource({ "1970-01-01T00:00:00Z, 1970-01-01T00:00:00.000000Z",
			"2026-01-02T03:04:05Z, 2026-01-02T03:04:05.000000Z",
			"2026-01-02T03:04:05.000001Z, 2026-01-02T03:04:05.000001Z",
			"2026-01-02T03:04:05.123456789Z, 2026-01-02T03:04:05.123456Z",
			"2026-01-02T03:04:05.999999999Z, 2026-01-02T03:04:05.999999Z",
			"2026-01-02T03:04:05.000000999Z, 2026-01-02T03:04:05.000000Z",
			"1969-12-31T23:59:59.999999999Z, 1969-12-31T23:59:59.999999Z",
			"2024-02-29T23:59:59.5Z, 2024-02-29T23:59:59.500000Z" })
	void formatsTimestampsWithExactlySixFractionalDigitsInUtcCuttingNotRounding(String instant, String expected) {
		assertThat(HclogTimestamp.format(Instant.parse(instant))).isEqualTo(expected);
		LoggingEvent event = event(Level.INFO, "m");
		event.setInstant(Instant.parse(instant));
		assertThat(decode(this.encoder.encode(event))).containsEntry("@timestamp", expected);
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource({ "2026-01-02T03:04:05.123456Z, 2026-01-02T03:04:05.123456Z",
			"2026-01-02T03:04:05.123456+02:00, 2026-01-02T01:04:05.123456Z",
			"2026-01-02T03:04:05.123456-05:30, 2026-01-02T08:34:05.123456Z",
			"2026-01-02T03:04:05.000000+00:00, 2026-01-02T03:04:05Z" })
	void parsesTheLayoutWithAnyOffset(String text, String expected) {
		assertThat(HclogTimestamp.parse(text)).isEqualTo(Instant.parse(expected));
	}

	@ParameterizedTest(name = "[{0}]")
	@ValueSource(strings = { "", "2026-01-02T03:04:05Z", "2026-01-02T03:04:05.123Z", "2026-01-02T03:04:05.123456789Z",
			"2026-01-02T03:04:05.123456", "2026-01-02T03:04:05.123456+0200", "2026-01-02T03:04:05.123456+02:00:00",
			"2026-01-02 03:04:05.123456Z", "2026-02-30T03:04:05.123456Z", "2026-01-02T24:00:00.000000Z",
			"12026-01-02T03:04:05.123456Z", "2026-01-02T03:04:05.123456z", " 2026-01-02T03:04:05.123456Z" })
	void rejectsEverythingElseLikeGoDoes(String text) {
		assertThat(HclogTimestamp.parse(text)).isNull();
	}

	@Test
	void escapesQuotesControlCharactersAndUnpairedSurrogates() {
		String nasty = "q\" b\\ nl\n cr\r tab\t nul\u0000 us\u001f ls\u2028 emoji\uD83D\uDE00 high\uD83D low\uDE00 end\uD83D";
		LoggingEvent event = event(Level.INFO, nasty);
		event.addKeyValuePair(new KeyValuePair("k\u0001\"", "v\uDE00"));
		byte[] bytes = this.encoder.encode(event);
		String line = new String(bytes, StandardCharsets.UTF_8);
		assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
		assertThat(line.chars()).noneMatch((c) -> c < 0x20 && c != '\n');
		assertThat(decode(line)).containsEntry("@message",
				"q\" b\\ nl\n cr\r tab\t nul\u0000 us\u001f ls\u2028 emoji\uD83D\uDE00 high\uFFFD low\uFFFD end\uFFFD")
			.containsEntry("k\u0001\"", "v\uFFFD");
	}

	@Test
	void keepsTheReservedKeysAgainstCollidingFieldsAndPrefersTheEventsPairsToTheMdc() {
		LoggingEvent event = event(Level.INFO, "real");
		Map<String, String> mdc = new LinkedHashMap<>();
		mdc.put("@message", "fake");
		mdc.put("@timestamp", "fake");
		mdc.put("@module", "fake");
		mdc.put("user", "from-mdc");
		mdc.put("trace", "t1");
		event.setMDCPropertyMap(mdc);
		event.addKeyValuePair(new KeyValuePair("@level", "error"));
		event.addKeyValuePair(new KeyValuePair("user", "from-event"));
		event.addKeyValuePair(new KeyValuePair("count", 3));
		event.addKeyValuePair(new KeyValuePair("nothing", null));
		Map<String, Object> json = decode(this.encoder.encode(event));
		assertThat(json).containsEntry("@level", "info")
			.containsEntry("@message", "real")
			.containsEntry("@timestamp", "2026-11-23T06:50:01.123456Z")
			.containsEntry("@module", "io.pluginrpc.Test")
			.containsEntry("user", "from-event")
			.containsEntry("trace", "t1")
			.containsEntry("count", "3")
			.containsEntry("nothing", null)
			.hasSize(8);
	}

	@Test
	void putsTheStackTraceIntoTheMessageAndTheOneLineErrorIntoTheErrorField() {
		LoggingEvent event = new LoggingEvent("x", this.context.getLogger("io.pluginrpc.Test"), Level.ERROR, "failed",
				new IllegalStateException("boom", new java.io.IOException("disk")), null);
		event.setMDCPropertyMap(Map.of("error", "shadowed"));
		Map<String, Object> json = decode(this.encoder.encode(event));
		String message = (String) json.get("@message");
		assertThat(message).startsWith("failed\njava.lang.IllegalStateException: boom\n\tat ")
			.contains("Caused by: java.io.IOException: disk")
			.doesNotEndWith("\n");
		assertThat(json).containsEntry("error", "java.lang.IllegalStateException: boom");
	}

	@Test
	void namesAThrowableWithoutMessageLikeToStringDoes() {
		LoggingEvent event = new LoggingEvent("x", this.context.getLogger("io.pluginrpc.Test"), Level.WARN, "odd",
				new UnsupportedOperationException(), null);
		event.setMDCPropertyMap(Map.of());
		assertThat(decode(this.encoder.encode(event))).containsEntry("error",
				"java.lang.UnsupportedOperationException");
	}

	@Test
	void neverThrowsOnOddEvents() {
		// No logger, no level, no message, no time, no context for the MDC.
		assertThat(decode(this.encoder.encode(new LoggingEvent()))).containsKeys("@level", "@message", "@timestamp");
		LoggingEvent event = event(Level.INFO, "value {}");
		event.setArgumentArray(new Object[] { null });
		event.addKeyValuePair(new KeyValuePair("bad", new Object() {
			@Override
			public String toString() {
				throw new IllegalStateException("no");
			}
		}));
		Map<String, Object> json = decode(this.encoder.encode(event));
		assertThat(json).containsEntry("@message", "value null");
		assertThat((String) json.get("bad")).contains("toString() failed").contains("no");
	}

	@Test
	void turnsAnEventThatCannotBeReadIntoAnErrorLineInsteadOfThrowing() {
		LoggingEvent broken = new LoggingEvent("x", this.context.getLogger("io.pluginrpc.Test"), Level.INFO, "m", null,
				null) {
			@Override
			public String getFormattedMessage() {
				throw new IllegalStateException("unreadable");
			}
		};
		String line = new String(this.encoder.encode(broken), StandardCharsets.UTF_8);
		assertThat(line).endsWith("}\n");
		assertThat(decode(line)).containsEntry("@level", "error")
			.containsEntry("@message", "log event could not be encoded: java.lang.IllegalStateException: unreadable");
	}

	@Test
	void roundTripsThroughTheHostsParserAtEveryLevel() {
		HclogLineParser parser = new HclogLineParser();
		for (Level level : new Level[] { Level.TRACE, Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR }) {
			LoggingEvent event = event(level, "multi\nline \"message\" \u00e9\uD83D\uDE00");
			Map<String, String> mdc = new LinkedHashMap<>();
			mdc.put("request", "42");
			mdc.put("empty", "");
			event.setMDCPropertyMap(mdc);
			event.addKeyValuePair(new KeyValuePair("path", "/var"));
			String line = new String(this.encoder.encode(event), StandardCharsets.UTF_8);
			HclogLine parsed = parser.parse(line.substring(0, line.length() - 1));
			assertThat(parsed.json()).isTrue();
			assertThat(parsed.level()).isEqualTo(PluginLogLevel.valueOf(level.toString()));
			assertThat(parsed.message()).isEqualTo("multi\nline \"message\" \u00e9\uD83D\uDE00");
			assertThat(parsed.timestamp()).isEqualTo(Instant.parse("2026-11-23T06:50:01.123456Z"));
			assertThat(parsed.fields()).containsExactly(Map.entry("@module", "io.pluginrpc.Test"),
					Map.entry("path", "/var"), Map.entry("request", "42"), Map.entry("empty", ""));
		}
	}

	@Test
	void roundTripsAnErrorWithItsStackTrace() {
		LoggingEvent event = new LoggingEvent("x", this.context.getLogger("io.pluginrpc.Test"), Level.ERROR, "failed",
				new IllegalStateException("boom"), null);
		event.setMDCPropertyMap(Map.of());
		String line = new String(this.encoder.encode(event), StandardCharsets.UTF_8).strip();
		HclogLine parsed = new HclogLineParser().parse(line);
		assertThat(parsed.level()).isEqualTo(PluginLogLevel.ERROR);
		assertThat(parsed.message()).startsWith("failed\njava.lang.IllegalStateException: boom");
		assertThat(parsed.fields()).containsEntry("error", "java.lang.IllegalStateException: boom");
	}

	private LoggingEvent event(Level level, String message) {
		LoggingEvent event = new LoggingEvent("x", this.context.getLogger("io.pluginrpc.Test"), level, message, null,
				null);
		event.setInstant(Instant.parse("2026-11-23T06:50:01.123456789Z"));
		return event;
	}

	private static Map<String, Object> decode(byte[] line) {
		return decode(new String(line, StandardCharsets.UTF_8));
	}

	private static Map<String, Object> decode(String line) {
		try {
			return JSON.readValue(line, new TypeReference<LinkedHashMap<String, Object>>() {
			});
		}
		catch (Exception ex) {
			throw new AssertionError("not JSON: " + line, ex);
		}
	}

}
