package io.pluginrpc.logging;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One line of a plugin's stderr, as a go-plugin host understands it.
 *
 * @param level the level to log it at
 * @param message {@code @message}, or the raw line when it is not hclog JSON
 * @param timestamp {@code @timestamp}, or {@code null} when absent or not hclog JSON
 * @param fields every other JSON key ({@code @module}, {@code @caller}, key/value pairs)
 * in the line's order, with JSON values as decoded (String, Number, Boolean, Map, List or
 * null); empty when not hclog JSON
 * @param json whether the line was hclog JSON with a known level
 */
public record HclogLine(PluginLogLevel level, String message, Instant timestamp, Map<String, Object> fields,
		boolean json) {

	public HclogLine {
		Objects.requireNonNull(level, "level");
		message = (message != null) ? message : "";
		// Read-only and detached from the caller's map: a forwarded line is shared across
		// threads.
		fields = (fields == null || fields.isEmpty()) ? Map.of()
				: Collections.unmodifiableMap(new LinkedHashMap<>(fields));
	}

	/**
	 * @param level the level
	 * @param line the raw line
	 * @return a line that is not hclog JSON, logged verbatim
	 */
	static HclogLine plain(PluginLogLevel level, String line) {
		return new HclogLine(level, line, null, Map.of(), false);
	}

}
