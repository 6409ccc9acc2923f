package io.pluginrpc.logging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

import static org.assertj.core.api.Assertions.assertThat;

class HclogJsonEncoderTest {

	private final HclogJsonEncoder encoder = new HclogJsonEncoder();

	private final LoggerContext context = new LoggerContext();

	@Test
	void writesOneHclogJsonObjectPerLine() throws Exception {
		LoggingEvent event = event(Level.WARN, "disk \"almost\" full\tnow");
		event.setMDCPropertyMap(Map.of("request", "42"));
		event.addKeyValuePair(new KeyValuePair("path", "/var"));
		String line = new String(this.encoder.encode(event), StandardCharsets.UTF_8);
		assertThat(line).endsWith("}\n").doesNotContain("\t");
		assertThat(line.strip()).doesNotContain("\n");
		Map<String, Object> json = new ObjectMapper().readValue(line, new TypeReference<Map<String, Object>>() {
		});
		assertThat(json).containsEntry("@level", "warn")
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
	}

	@Test
	void keepsTheReservedKeysAgainstCollidingFields() throws Exception {
		LoggingEvent event = event(Level.INFO, "real");
		event.setMDCPropertyMap(Map.of("@message", "fake"));
		Map<String, Object> json = new ObjectMapper().readValue(this.encoder.encode(event), new TypeReference<Map<String, Object>>() {
		});
		assertThat(json).containsEntry("@message", "real");
	}

	@Test
	void putsTheStackTraceIntoTheMessageAndTheErrorField() throws Exception {
		LoggingEvent event = new LoggingEvent("x", this.context.getLogger("io.pluginrpc.Test"), Level.ERROR, "failed",
				new IllegalStateException("boom"), null);
		event.setMDCPropertyMap(Map.of());
		Map<String, Object> json = new ObjectMapper().readValue(this.encoder.encode(event), new TypeReference<Map<String, Object>>() {
		});
		assertThat((String) json.get("@message")).startsWith("failed\njava.lang.IllegalStateException: boom");
		assertThat(json).containsEntry("error", "java.lang.IllegalStateException: boom");
	}

	@Test
	void formatsTimestampsWithExactlySixFractionalDigitsInUtc() {
		assertThat(HclogTimestamp.format(Instant.parse("2026-01-02T03:04:05Z"))).isEqualTo("2026-01-02T03:04:05.000000Z");
		assertThat(HclogTimestamp.format(Instant.parse("2026-01-02T03:04:05.123456789Z")))
			.isEqualTo("2026-01-02T03:04:05.123456Z");
		assertThat(HclogTimestamp.parse("2026-01-02T03:04:05.123456+02:00")).isEqualTo(Instant.parse("2026-01-02T01:04:05.123456Z"));
		assertThat(HclogTimestamp.parse("2026-01-02T03:04:05.123Z")).isNull();
	}

	private LoggingEvent event(Level level, String message) {
		LoggingEvent event = new LoggingEvent("x", this.context.getLogger("io.pluginrpc.Test"), level, message, null, null);
		event.setInstant(Instant.parse("2026-11-23T06:50:01.123456789Z"));
		return event;
	}

}
