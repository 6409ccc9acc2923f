package io.pluginrpc.logging;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * hclog's timestamp layout, Go's {@code 2006-01-02T15:04:05.000000Z07:00}: exactly six fractional
 * digits, {@code Z} for UTC or {@code ±hh:mm}. A Go host that cannot parse {@code @timestamp} treats
 * the whole line as plain text, so the layout must be exact.
 */
public final class HclogTimestamp {

	private static final DateTimeFormatter LAYOUT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSXXX");

	private HclogTimestamp() {
	}

	/**
	 * @param instant the time (sub-microsecond digits are dropped, as Go does)
	 * @return the time in UTC in hclog's layout
	 */
	public static String format(Instant instant) {
		return LAYOUT.format(instant.atOffset(ZoneOffset.UTC));
	}

	/**
	 * @param text a timestamp in hclog's layout
	 * @return the instant, or {@code null} if the text does not follow the layout exactly
	 */
	public static Instant parse(String text) {
		try {
			return LAYOUT.parse(text, Instant::from);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

}
