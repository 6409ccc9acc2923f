package io.pluginrpc.logging;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.regex.Pattern;

/**
 * Formats and parses hclog's timestamp layout, Go's
 * {@code 2006-01-02T15:04:05.000000Z07:00}: exactly six fractional digits, {@code Z} for
 * UTC or {@code ±hh:mm}. A Go host that cannot parse {@code @timestamp} treats the whole
 * line as plain text, so both directions must be exact.
 */
public final class HclogTimestamp {

	private static final DateTimeFormatter LAYOUT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSXXX")
		.withResolverStyle(ResolverStyle.STRICT);

	// java.time alone is more lenient than Go's time.Parse (it would accept a longer year
	// or a seconds
	// part in the offset), so the shape is checked first; STRICT then rejects dates like
	// February 30.
	private static final Pattern SHAPE = Pattern
		.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}(Z|[+-]\\d{2}:\\d{2})");

	private HclogTimestamp() {
	}

	/**
	 * Formats an instant in UTC.
	 * @param instant the time (digits below the microsecond are cut, as Go's formatting
	 * does)
	 * @return the time in hclog's layout, always ending in {@code Z}
	 */
	public static String format(Instant instant) {
		return LAYOUT.format(instant.atOffset(ZoneOffset.UTC));
	}

	/**
	 * Parses a timestamp the way go-plugin's host does.
	 * @param text a timestamp in hclog's layout
	 * @return the instant, or {@code null} if the text does not follow the layout exactly
	 */
	public static Instant parse(String text) {
		if (text == null || !SHAPE.matcher(text).matches()) {
			return null;
		}
		try {
			return LAYOUT.parse(text, Instant::from);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

}
