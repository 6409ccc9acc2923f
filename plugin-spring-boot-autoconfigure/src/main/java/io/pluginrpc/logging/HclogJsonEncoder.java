package io.pluginrpc.logging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.slf4j.event.KeyValuePair;

/**
 * Encodes Logback events as hclog JSON lines, the shape go-plugin hosts parse from a plugin's stderr
 * (spec section 5.6): {@code @level}, {@code @message}, {@code @timestamp}, {@code @module} (the logger
 * name), then MDC entries and SLF4J key/value pairs. A Go host shows such lines at their level with their
 * fields; anything else it logs at debug.
 */
public class HclogJsonEncoder extends EncoderBase<ILoggingEvent> {

	private static final byte[] NO_BYTES = new byte[0];

	private final JsonFactory json = new JsonFactory();

	@Override
	public byte[] headerBytes() {
		return NO_BYTES;
	}

	@Override
	public byte[] encode(ILoggingEvent event) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(256);
		try (JsonGenerator generator = this.json.createGenerator(out)) {
			generator.writeStartObject();
			generator.writeStringField("@level", level(event.getLevel()));
			generator.writeStringField("@message", message(event));
			generator.writeStringField("@timestamp", HclogTimestamp.format(event.getInstant()));
			generator.writeStringField("@module", event.getLoggerName());
			Set<String> written = new HashSet<>(Set.of("@level", "@message", "@timestamp", "@module"));
			IThrowableProxy throwable = event.getThrowableProxy();
			if (throwable != null && written.add("error")) {
				generator.writeStringField("error", throwable.getClassName() + ": " + throwable.getMessage());
			}
			Map<String, String> mdc = event.getMDCPropertyMap();
			if (mdc != null) {
				for (Map.Entry<String, String> entry : mdc.entrySet()) {
					if (written.add(entry.getKey())) {
						generator.writeStringField(entry.getKey(), entry.getValue());
					}
				}
			}
			if (event.getKeyValuePairs() != null) {
				for (KeyValuePair pair : event.getKeyValuePairs()) {
					if (pair.key != null && written.add(pair.key)) {
						generator.writeStringField(pair.key, String.valueOf(pair.value));
					}
				}
			}
			generator.writeEndObject();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		out.write('\n');
		return out.toByteArray();
	}

	private static String message(ILoggingEvent event) {
		String message = event.getFormattedMessage();
		if (message == null) {
			message = "";
		}
		IThrowableProxy throwable = event.getThrowableProxy();
		return (throwable != null) ? message + "\n" + ThrowableProxyUtil.asString(throwable) : message;
	}

	static String level(Level level) {
		switch (level.toInt()) {
			case Level.ERROR_INT:
				return "error";
			case Level.WARN_INT:
				return "warn";
			case Level.INFO_INT:
				return "info";
			case Level.DEBUG_INT:
				return "debug";
			default:
				return "trace";
		}
	}

	@Override
	public byte[] footerBytes() {
		return NO_BYTES;
	}

	/** @return the charset of the encoded lines */
	public java.nio.charset.Charset getCharset() {
		return StandardCharsets.UTF_8;
	}

}
