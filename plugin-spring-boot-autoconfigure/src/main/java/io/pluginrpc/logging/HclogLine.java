package io.pluginrpc.logging;

import java.time.Instant;
import java.util.Map;

/**
 * One line of a plugin's stderr, as a go-plugin host understands it.
 *
 * @param level the level to log it at
 * @param message {@code @message}, or the raw line when it is not hclog JSON
 * @param timestamp {@code @timestamp}, or {@code null}
 * @param fields every other JSON key ({@code @module}, {@code @caller}, key/value pairs), in order
 * @param json whether the line was hclog JSON
 */
public record HclogLine(PluginLogLevel level, String message, Instant timestamp, Map<String, Object> fields,
		boolean json) {

}
