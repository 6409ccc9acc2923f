package io.pluginrpc.logging;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HclogLineParserTest {

	private final HclogLineParser parser = new HclogLineParser();

	@Test
	void readsAGoPluginLogEntry() {
		HclogLine line = this.parser.parse("{\"@level\":\"warn\",\"@message\":\"disk full\",\"@module\":\"kv\","
				+ "\"@timestamp\":\"2026-11-23T06:50:01.123456+01:00\",\"path\":\"/var\",\"free\":0,\"tags\":[\"a\"]}");
		assertThat(line.json()).isTrue();
		assertThat(line.level()).isEqualTo(PluginLogLevel.WARN);
		assertThat(line.message()).isEqualTo("disk full");
		assertThat(line.timestamp()).isEqualTo(Instant.parse("2026-11-23T05:50:01.123456Z"));
		assertThat(line.fields()).containsExactly(Map.entry("@module", "kv"), Map.entry("path", "/var"),
				Map.entry("free", 0), Map.entry("tags", java.util.List.of("a")));
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', value = { "{\"@level\":\"TRACE \",\"@message\":\"m\"}|TRACE|true",
			"{\"@level\":\"debug\",\"@message\":\"m\"}|DEBUG|true", "{\"@level\":\"info\",\"@message\":\"m\"}|INFO|true",
			"{\"@level\":\"error\",\"@message\":\"m\"}|ERROR|true",
			"{\"@level\":\"warning\",\"@message\":\"m\"}|DEBUG|false",
			"{\"@level\":\"info\",\"@message\":\"m\",\"@timestamp\":\"2026-11-23T06:50:01Z\"}|DEBUG|false",
			"{\"@level\":3,\"@message\":\"m\"}|DEBUG|false", "{\"@level\":\"info\",\"@message\":{}}|DEBUG|false",
			"[\"@level\",\"info\"]|DEBUG|false", "{not json|DEBUG|false", "[WARN] plain warning|WARN|false",
			"[ERROR] plain error|ERROR|false", "just text|DEBUG|false", "''|DEBUG|false" })
	void mapsLevelsLikeGoPluginButNeverFails(String text, PluginLogLevel level, boolean json) {
		HclogLine line = this.parser.parse(text);
		assertThat(line.level()).isEqualTo(level);
		assertThat(line.json()).isEqualTo(json);
		if (!json) {
			assertThat(line.message()).isEqualTo(text.strip().equals(text) ? text : line.message());
		}
	}

	@Test
	void treatsPlainLinesAfterAPanicAsErrors() {
		assertThat(this.parser.parse("starting").level()).isEqualTo(PluginLogLevel.DEBUG);
		assertThat(this.parser.parse("panic: runtime error: index out of range").level()).isEqualTo(PluginLogLevel.ERROR);
		assertThat(this.parser.parse("goroutine 1 [running]:").level()).isEqualTo(PluginLogLevel.ERROR);
		assertThat(this.parser.parse("{\"@level\":\"info\",\"@message\":\"m\"}").level()).isEqualTo(PluginLogLevel.INFO);
	}

}
