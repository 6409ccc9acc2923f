package io.pluginrpc.logging;

/**
 * Classifies the stderr lines of one plugin process in order, remembering what a single
 * line cannot tell: once the plugin printed a Go panic ({@code panic: } or
 * {@code fatal error: }), every following plain line is part of the crash report and is
 * logged at error, as go-plugin 1.7 does. JSON lines keep their own level. Thread-safe;
 * use one per plugin process and {@link #reset()} it for a new process.
 */
public final class PluginStderrClassifier {

	private final HclogLineParser parser;

	private boolean afterPanic;

	public PluginStderrClassifier() {
		this(new HclogLineParser());
	}

	/**
	 * @param parser the parser for single lines
	 */
	public PluginStderrClassifier(HclogLineParser parser) {
		this.parser = parser;
	}

	/**
	 * @param line the next stderr line, without its line terminator
	 * @return how to log it
	 */
	public synchronized HclogLine classify(String line) {
		HclogLine result = this.parser.parse(line, this.afterPanic);
		if (!result.json() && HclogLineParser.startsPanic(line)) {
			this.afterPanic = true;
		}
		return result;
	}

	/**
	 * @return whether a panic was seen since the start or the last {@link #reset()}
	 */
	public synchronized boolean afterPanic() {
		return this.afterPanic;
	}

	/** Forgets a panic: the lines that follow come from a new plugin process. */
	public synchronized void reset() {
		this.afterPanic = false;
	}

}
