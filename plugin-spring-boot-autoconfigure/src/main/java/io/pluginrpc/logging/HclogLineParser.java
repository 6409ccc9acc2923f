package io.pluginrpc.logging;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Parses a plugin's stderr lines the way go-plugin's host does (spec section 5.6), only safer: a JSON
 * object with string {@code @message}, {@code @level} and {@code @timestamp} (exact hclog layout) is a
 * log entry at its level; anything else is logged verbatim at debug, or at the level of a
 * {@code [LEVEL]} prefix; after a {@code panic: } or {@code fatal error: } line, plain lines are errors
 * (go-plugin 1.7). Never throws. One instance per plugin: the panic rule is state.
 */
public final class HclogLineParser {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
	};

	private boolean panicking;

	/**
	 * @param line one line, without its newline
	 * @return how to log it
	 */
	public HclogLine parse(String line) {
		String trimmed = line.strip();
		if (trimmed.startsWith("{")) {
			HclogLine entry = parseJson(trimmed);
			if (entry != null) {
				return entry;
			}
		}
		return plain(line);
	}

	private HclogLine parseJson(String text) {
		Map<String, Object> object;
		try {
			object = JSON.readValue(text, OBJECT);
		}
		catch (Exception ex) {
			return null;
		}
		if (!(object.get("@message") instanceof String message) || !(object.get("@level") instanceof String levelName)) {
			return null;
		}
		Instant timestamp = null;
		Object rawTimestamp = object.get("@timestamp");
		if (rawTimestamp != null) {
			if (!(rawTimestamp instanceof String text1) || (timestamp = HclogTimestamp.parse(text1)) == null) {
				return null;
			}
		}
		PluginLogLevel level = level(levelName);
		if (level == null) {
			return new HclogLine(PluginLogLevel.DEBUG, text, null, Map.of(), false);
		}
		Map<String, Object> fields = new LinkedHashMap<>(object);
		fields.remove("@message");
		fields.remove("@level");
		fields.remove("@timestamp");
		return new HclogLine(level, message, timestamp, fields, true);
	}

	private HclogLine plain(String line) {
		if (line.startsWith("panic: ") || line.startsWith("fatal error: ")) {
			this.panicking = true;
		}
		PluginLogLevel level = this.panicking ? PluginLogLevel.ERROR : prefixLevel(line);
		return new HclogLine(level, line, null, Map.of(), false);
	}

	private static PluginLogLevel prefixLevel(String line) {
		for (PluginLogLevel level : PluginLogLevel.values()) {
			if (line.startsWith("[" + level.name() + "]")) {
				return level;
			}
		}
		return PluginLogLevel.DEBUG;
	}

	private static PluginLogLevel level(String name) {
		switch (name.strip().toLowerCase(Locale.ROOT)) {
			case "trace":
				return PluginLogLevel.TRACE;
			case "debug":
				return PluginLogLevel.DEBUG;
			case "info":
				return PluginLogLevel.INFO;
			case "warn":
				return PluginLogLevel.WARN;
			case "error":
				return PluginLogLevel.ERROR;
			default:
				return null;
		}
	}

}
