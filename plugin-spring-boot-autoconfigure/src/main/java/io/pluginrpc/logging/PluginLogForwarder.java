package io.pluginrpc.logging;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Forwards a plugin's stderr to SLF4J logger {@code plugin.<name>} at the level each line maps to, with
 * the line's hclog fields in the MDC, and keeps its last lines for error messages and Actuator.
 */
public final class PluginLogForwarder {

	/** How many recent stderr lines are kept. */
	public static final int RECENT_LINES = 50;

	private static final ObjectMapper JSON = new ObjectMapper();

	private final Logger logger;

	private final PluginStderrClassifier classifier = new PluginStderrClassifier();

	private final ArrayDeque<String> recent = new ArrayDeque<>(RECENT_LINES);

	private final Consumer<PluginLogLevel> counter;

	/** @param pluginName the plugin's name */
	public PluginLogForwarder(String pluginName) {
		this(pluginName, (level) -> {
		});
	}

	/**
	 * @param pluginName the plugin's name
	 * @param counter told the level of every line, logged or not (for metrics)
	 */
	public PluginLogForwarder(String pluginName, Consumer<PluginLogLevel> counter) {
		this.logger = LoggerFactory.getLogger("plugin." + pluginName);
		this.counter = counter;
	}

	/** @param line one stderr line, without its newline */
	public void accept(String line) {
		synchronized (this.recent) {
			if (this.recent.size() == RECENT_LINES) {
				this.recent.removeFirst();
			}
			this.recent.addLast(line);
		}
		HclogLine entry = this.classifier.classify(line);
		this.counter.accept(entry.level());
		if (!isEnabled(entry.level())) {
			return;
		}
		Map<String, Object> fields = entry.fields();
		for (Map.Entry<String, Object> field : fields.entrySet()) {
			MDC.put(field.getKey(), render(field.getValue()));
		}
		try {
			log(entry.level(), entry.message());
		}
		finally {
			fields.keySet().forEach(MDC::remove);
		}
	}

	/** @return the last {@value #RECENT_LINES} stderr lines, oldest first */
	public List<String> recentLines() {
		synchronized (this.recent) {
			return new ArrayList<>(this.recent);
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

	private void log(PluginLogLevel level, String message) {
		switch (level) {
			case TRACE -> this.logger.trace(message);
			case DEBUG -> this.logger.debug(message);
			case INFO -> this.logger.info(message);
			case WARN -> this.logger.warn(message);
			case ERROR -> this.logger.error(message);
		}
	}

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
