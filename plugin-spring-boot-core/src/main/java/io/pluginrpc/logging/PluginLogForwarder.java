package io.pluginrpc.logging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Forwards a plugin's stderr lines to SLF4J logger {@code plugin.<name>} at the level
 * each line maps to (go-plugin's rules, {@link PluginStderrClassifier}), with the line's
 * hclog fields in the MDC during the call, and keeps the last lines for error messages
 * and Actuator. Thread-safe.
 */
public final class PluginLogForwarder {

	/** How many recent stderr lines are kept by default. */
	public static final int RECENT_LINES = 50;

	/** The default cap per line, go-plugin's 64 KiB. */
	public static final int DEFAULT_MAX_LINE = LineReader.DEFAULT_MAX_LINE;

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final Consumer<PluginLogLevel> NO_COUNTER = (level) -> {
	};

	private final Logger logger;

	private final PluginStderrClassifier classifier = new PluginStderrClassifier();

	private final Consumer<PluginLogLevel> counter;

	private final int maxLineBytes;

	// Ring buffer of the last lines, guarded by itself.
	private final String[] recent;

	private int next;

	private int size;

	/**
	 * @param pluginName the plugin's name
	 */
	public PluginLogForwarder(String pluginName) {
		this(pluginName, NO_COUNTER);
	}

	/**
	 * @param pluginName the plugin's name
	 * @param counter told the level of every line, logged or not (for metrics)
	 */
	public PluginLogForwarder(String pluginName, Consumer<PluginLogLevel> counter) {
		this(pluginName, counter, RECENT_LINES, DEFAULT_MAX_LINE);
	}

	/**
	 * @param pluginName the plugin's name
	 * @param counter told the level of every line, logged or not (for metrics)
	 * @param recentLines how many lines {@link #recentLines()} keeps (0 keeps none)
	 * @param maxLineBytes longest line in UTF-8 bytes, marker included (at least 96);
	 * longer lines are cut with {@code  …[truncated N bytes]}
	 */
	public PluginLogForwarder(String pluginName, Consumer<PluginLogLevel> counter, int recentLines, int maxLineBytes) {
		if (recentLines < 0) {
			throw new IllegalArgumentException("recentLines must not be negative, but was " + recentLines);
		}
		if (maxLineBytes < LineReader.MIN_MAX_LINE) {
			throw new IllegalArgumentException(
					"maxLineBytes must be at least " + LineReader.MIN_MAX_LINE + " bytes, but was " + maxLineBytes);
		}
		this.logger = LoggerFactory.getLogger("plugin." + pluginName);
		this.counter = (counter != null) ? counter : NO_COUNTER;
		this.recent = new String[recentLines];
		this.maxLineBytes = maxLineBytes;
	}

	/**
	 * Logs one stderr line. Never throws.
	 * @param line one stderr line, without its line terminator
	 */
	public void accept(String line) {
		String text = LineReader.truncate((line != null) ? line : "", this.maxLineBytes);
		remember(text);
		HclogLine entry = this.classifier.classify(text);
		try {
			this.counter.accept(entry.level());
		}
		catch (RuntimeException ex) {
			// A broken metrics hook must not cost the plugin its log line.
		}
		// Cheap when the level is off: no MDC work and no logging call.
		if (isEnabled(entry.level())) {
			log(entry);
		}
	}

	/**
	 * Forgets per-process state (a panic seen): call it when a new process of the plugin
	 * starts.
	 */
	public void newProcess() {
		this.classifier.reset();
	}

	/**
	 * @return the last stderr lines (as cut to the line cap), oldest first
	 */
	public List<String> recentLines() {
		synchronized (this.recent) {
			List<String> lines = new ArrayList<>(this.size);
			int first = this.next - this.size + this.recent.length;
			for (int i = 0; i < this.size; i++) {
				lines.add(this.recent[(first + i) % this.recent.length]);
			}
			return lines;
		}
	}

	/**
	 * @return the SLF4J logger name the lines go to
	 */
	public String loggerName() {
		return this.logger.getName();
	}

	private void remember(String line) {
		synchronized (this.recent) {
			if (this.recent.length == 0) {
				return;
			}
			this.recent[this.next] = line;
			this.next = (this.next + 1) % this.recent.length;
			this.size = Math.min(this.size + 1, this.recent.length);
		}
	}

	private void log(HclogLine entry) {
		Map<String, Object> fields = entry.fields();
		if (fields.isEmpty()) {
			write(entry.level(), entry.message());
			return;
		}
		// The forwarding thread may carry MDC entries of its own: restore them rather
		// than remove them.
		String[] previous = new String[fields.size()];
		int i = 0;
		for (Map.Entry<String, Object> field : fields.entrySet()) {
			previous[i++] = MDC.get(field.getKey());
			MDC.put(field.getKey(), render(field.getValue()));
		}
		try {
			write(entry.level(), entry.message());
		}
		finally {
			i = 0;
			for (String key : fields.keySet()) {
				if (previous[i] != null) {
					MDC.put(key, previous[i]);
				}
				else {
					MDC.remove(key);
				}
				i++;
			}
		}
	}

	private boolean isEnabled(PluginLogLevel level) {
		return switch (level) {
			case TRACE -> this.logger.isTraceEnabled();
			case DEBUG -> this.logger.isDebugEnabled();
			case INFO -> this.logger.isInfoEnabled();
			case WARN -> this.logger.isWarnEnabled();
			case ERROR -> this.logger.isErrorEnabled();
		};
	}

	// The message is passed as the format with no arguments, so "{}" in a plugin's text
	// stays as it is.
	private void write(PluginLogLevel level, String message) {
		switch (level) {
			case TRACE -> this.logger.trace(message);
			case DEBUG -> this.logger.debug(message);
			case INFO -> this.logger.info(message);
			case WARN -> this.logger.warn(message);
			case ERROR -> this.logger.error(message);
		}
	}

	/**
	 * MDC values are strings: JSON objects and arrays keep their JSON form, the rest
	 * their plain text.
	 */
	private static String render(Object value) {
		if (value instanceof Map || value instanceof List) {
			try {
				return JSON.writeValueAsString(value);
			}
			catch (Exception ex) {
				return String.valueOf(value);
			}
		}
		return String.valueOf(value);
	}

}
