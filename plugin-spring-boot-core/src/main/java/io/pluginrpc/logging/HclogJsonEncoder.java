package io.pluginrpc.logging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.slf4j.event.KeyValuePair;

/**
 * Encodes Logback events as hclog JSON lines, the shape go-plugin hosts parse from a
 * plugin's stderr (spec section 5.6): {@code @level}, {@code @message},
 * {@code @timestamp}, {@code @module} (the logger name), then the event's SLF4J key/value
 * pairs and MDC entries as string fields. A Go host shows such lines at their level with
 * their fields; anything else it logs at debug.
 */
public class HclogJsonEncoder extends EncoderBase<ILoggingEvent> {

	private static final byte[] NO_BYTES = new byte[0];

	private static final Set<String> RESERVED = Set.of("@level", "@message", "@timestamp", "@module");

	private final JsonFactory json = new JsonFactory();

	@Override
	public byte[] headerBytes() {
		return NO_BYTES;
	}

	/**
	 * Encodes one event as one line. Never throws: an appender that throws loses the
	 * event and Logback reports it on the console, which in a plugin is no longer the
	 * host's stderr.
	 * @param event the event
	 * @return a JSON object followed by {@code \n}
	 */
	@Override
	public byte[] encode(ILoggingEvent event) {
		try {
			return encodeEvent(event);
		}
		catch (RuntimeException | IOException | LinkageError ex) {
			return encodeFailure(event, ex);
		}
	}

	private byte[] encodeEvent(ILoggingEvent event) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream(256);
		try (JsonGenerator generator = this.json.createGenerator(out)) {
			generator.writeStartObject();
			field(generator, "@level", level(event.getLevel()));
			field(generator, "@message", message(event));
			field(generator, "@timestamp", HclogTimestamp.format(instant(event)));
			if (event.getLoggerName() != null) {
				field(generator, "@module", event.getLoggerName());
			}
			Set<String> written = new HashSet<>(RESERVED);
			IThrowableProxy throwable = event.getThrowableProxy();
			if (throwable != null) {
				// A Go host prints an entry on one line; the error's one-line summary
				// stays readable there.
				written.add("error");
				field(generator, "error", throwableSummary(throwable));
			}
			// The event's own key/value pairs first: they are more specific than the
			// thread's MDC.
			List<KeyValuePair> pairs = event.getKeyValuePairs();
			if (pairs != null) {
				for (KeyValuePair pair : pairs) {
					if (pair != null && pair.key != null && written.add(pair.key)) {
						field(generator, pair.key, text(pair.value));
					}
				}
			}
			Map<String, String> mdc = mdc(event);
			if (mdc != null) {
				for (Map.Entry<String, String> entry : mdc.entrySet()) {
					if (entry.getKey() != null && written.add(entry.getKey())) {
						field(generator, entry.getKey(), entry.getValue());
					}
				}
			}
			generator.writeEndObject();
		}
		out.write('\n');
		return out.toByteArray();
	}

	// The last resort when an event cannot be encoded (a toString() that throws inside a
	// collection, an
	// exotic error): still one valid hclog line, so the host sees that something was
	// logged and why not.
	private byte[] encodeFailure(ILoggingEvent event, Throwable failure) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(256);
		try (JsonGenerator generator = this.json.createGenerator(out)) {
			generator.writeStartObject();
			field(generator, "@level", "error");
			field(generator, "@message", "log event could not be encoded: " + failure);
			field(generator, "@timestamp", HclogTimestamp.format(Instant.now()));
			field(generator, "@module", HclogJsonEncoder.class.getName());
			generator.writeEndObject();
		}
		catch (IOException | RuntimeException ex) {
			return ("{\"@level\":\"error\",\"@message\":\"log event could not be encoded\"}\n")
				.getBytes(StandardCharsets.UTF_8);
		}
		out.write('\n');
		return out.toByteArray();
	}

	private static void field(JsonGenerator generator, String name, String value) throws IOException {
		generator.writeFieldName(validUtf16(name));
		if (value == null) {
			generator.writeNull();
		}
		else {
			generator.writeString(validUtf16(value));
		}
	}

	/**
	 * Replaces unpaired surrogates with U+FFFD. A Java string can hold them (a message
	 * cut in the middle of an emoji); Jackson 2.21 writes them as escaped lone
	 * surrogates, which no JSON reader can turn into valid text (Go substitutes U+FFFD,
	 * stricter readers reject the line). Replacing them here gives every reader the same
	 * valid UTF-8.
	 */
	static String validUtf16(String text) {
		int length = text.length();
		for (int i = 0; i < length; i++) {
			if (Character.isSurrogate(text.charAt(i))) {
				return replaceUnpairedSurrogates(text, i);
			}
		}
		return text;
	}

	private static String replaceUnpairedSurrogates(String text, int from) {
		StringBuilder result = new StringBuilder(text.length()).append(text, 0, from);
		for (int i = from; i < text.length(); i++) {
			char c = text.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
				result.append(c).append(text.charAt(++i));
			}
			else {
				result.append(Character.isSurrogate(c) ? '\uFFFD' : c);
			}
		}
		return result.toString();
	}

	private static Map<String, String> mdc(ILoggingEvent event) {
		try {
			return event.getMDCPropertyMap();
		}
		catch (RuntimeException ex) {
			// An event built outside a started LoggerContext has no MDC adapter; its
			// message still counts.
			return null;
		}
	}

	private static Instant instant(ILoggingEvent event) {
		Instant instant = event.getInstant();
		return (instant != null) ? instant : Instant.ofEpochMilli(event.getTimeStamp());
	}

	private static String message(ILoggingEvent event) {
		String message = event.getFormattedMessage();
		if (message == null) {
			message = "";
		}
		IThrowableProxy throwable = event.getThrowableProxy();
		if (throwable == null) {
			return message;
		}
		String stackTrace = ThrowableProxyUtil.asString(throwable);
		// asString ends every frame with a line separator; the entry itself ends with the
		// JSON line.
		return message + "\n" + stackTrace.stripTrailing();
	}

	private static String throwableSummary(IThrowableProxy proxy) {
		if (proxy instanceof ThrowableProxy real && real.getThrowable() != null) {
			return text(real.getThrowable());
		}
		// A deserialized proxy has no Throwable: rebuild what Throwable.toString() would
		// say.
		return (proxy.getMessage() != null) ? proxy.getClassName() + ": " + proxy.getMessage() : proxy.getClassName();
	}

	/**
	 * {@code String.valueOf}, but a {@code toString()} that throws names its failure
	 * instead.
	 */
	private static String text(Object value) {
		if (value == null) {
			return null;
		}
		try {
			return String.valueOf(value);
		}
		catch (RuntimeException ex) {
			return "<" + value.getClass().getName() + ".toString() failed: " + ex + ">";
		}
	}

	static String level(Level level) {
		if (level == null) {
			return "info";
		}
		// By threshold rather than by equality, so a level between two standard ones
		// still maps sensibly.
		int value = level.toInt();
		if (value >= Level.ERROR_INT) {
			return "error";
		}
		if (value >= Level.WARN_INT) {
			return "warn";
		}
		if (value >= Level.INFO_INT) {
			return "info";
		}
		return (value >= Level.DEBUG_INT) ? "debug" : "trace";
	}

	@Override
	public byte[] footerBytes() {
		return NO_BYTES;
	}

	/**
	 * @return the charset of the encoded lines
	 */
	public Charset getCharset() {
		return StandardCharsets.UTF_8;
	}

}
