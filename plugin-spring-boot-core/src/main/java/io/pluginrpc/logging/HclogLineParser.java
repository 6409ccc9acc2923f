package io.pluginrpc.logging;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Parses one line of a plugin's stderr the way go-plugin's host does (spec section 5.6),
 * only safer.
 * <ul>
 * <li>A JSON object whose {@code @message}, {@code @level} and {@code @timestamp} are
 * strings (or absent) and whose timestamp follows hclog's layout exactly is hclog JSON.
 * With a known level it is logged at that level; with an unknown or missing level the raw
 * line is logged at debug.</li>
 * <li>Anything else (not JSON, not an object, a bad timestamp, a non-string reserved key,
 * on which Go's host would crash) is a plain line: logged verbatim at debug, or at the
 * level of a {@code [LEVEL]} prefix, or at error when it starts a Go panic
 * ({@code panic: }, {@code fatal error: }).</li>
 * </ul>
 * Stateless and thread-safe; the rule that every plain line after a panic is an error
 * needs memory and lives in {@link PluginStderrClassifier}. Never throws.
 */
public final class HclogLineParser {

	private static final ObjectMapper JSON = new ObjectMapper()
		// Go's json.Unmarshal rejects "{...} trailing text"; Jackson would stop after the
		// object.
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

	private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
	};

	/**
	 * Parses a line on its own, as if no panic came before it.
	 * @param line one line, without its line terminator ({@code null} counts as empty)
	 * @return how to log it
	 */
	public HclogLine parse(String line) {
		return parse(line, false);
	}

	/**
	 * Parses a line.
	 * @param line one line, without its line terminator ({@code null} counts as empty)
	 * @param afterPanic whether the plugin already printed a panic, which makes every
	 * plain line an error (go-plugin 1.7: a panic's goroutine dump follows on plain
	 * lines)
	 * @return how to log it
	 */
	public HclogLine parse(String line, boolean afterPanic) {
		String text = (line != null) ? line : "";
		if (looksLikeObject(text)) {
			HclogLine entry = parseJson(text);
			if (entry != null) {
				return entry;
			}
		}
		return HclogLine.plain(plainLevel(text, afterPanic), text);
	}

	/**
	 * @param line a plain line
	 * @return whether it starts a Go panic or fatal runtime error, after which go-plugin
	 * 1.7 logs every plain line at error
	 */
	public static boolean startsPanic(String line) {
		return line != null && (line.startsWith("panic: ") || line.startsWith("fatal error: "));
	}

	// Skips Jackson for the common plain line: only something starting with '{' can be an
	// object.
	private static boolean looksLikeObject(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (!Character.isWhitespace(c)) {
				return c == '{';
			}
		}
		return false;
	}

	private static HclogLine parseJson(String text) {
		Map<String, Object> object;
		try {
			object = JSON.readValue(text, OBJECT);
		}
		catch (Exception | StackOverflowError ex) {
			// Not JSON (or nested beyond reason): a plain line, as in Go.
			return null;
		}
		if (object == null || !stringOrAbsent(object, "@message") || !stringOrAbsent(object, "@level")
				|| !stringOrAbsent(object, "@timestamp")) {
			// Go's host would panic on a non-string here; a plain line is the useful
			// answer.
			return null;
		}
		Instant timestamp = null;
		if (object.containsKey("@timestamp")) {
			timestamp = HclogTimestamp.parse((String) object.get("@timestamp"));
			if (timestamp == null) {
				return null;
			}
		}
		PluginLogLevel level = level((String) object.get("@level"));
		if (level == null) {
			// hclog.LevelFromString gives NoLevel; go-plugin then logs the whole raw line
			// at debug.
			return HclogLine.plain(PluginLogLevel.DEBUG, text);
		}
		String message = (String) object.remove("@message");
		object.remove("@level");
		object.remove("@timestamp");
		return new HclogLine(level, message, timestamp, object, true);
	}

	private static boolean stringOrAbsent(Map<String, Object> object, String key) {
		return !object.containsKey(key) || object.get(key) instanceof String;
	}

	private static PluginLogLevel plainLevel(String line, boolean afterPanic) {
		if (afterPanic || startsPanic(line)) {
			return PluginLogLevel.ERROR;
		}
		if (line.startsWith("[")) {
			for (PluginLogLevel level : PluginLogLevel.values()) {
				if (line.startsWith(level.prefix())) {
					return level;
				}
			}
		}
		return PluginLogLevel.DEBUG;
	}

	/**
	 * hclog's LevelFromString for the five levels go-plugin maps; {@code null} for
	 * anything else.
	 */
	static PluginLogLevel level(String name) {
		if (name == null) {
			return null;
		}
		return switch (name.strip().toLowerCase(Locale.ROOT)) {
			case "trace" -> PluginLogLevel.TRACE;
			case "debug" -> PluginLogLevel.DEBUG;
			case "info" -> PluginLogLevel.INFO;
			case "warn" -> PluginLogLevel.WARN;
			case "error" -> PluginLogLevel.ERROR;
			default -> null;
		};
	}

}
