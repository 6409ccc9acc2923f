package io.pluginrpc.logging;

/** hclog's levels, the ones a go-plugin host maps plugin log lines to. */
public enum PluginLogLevel {

	TRACE, DEBUG, INFO, WARN, ERROR;

	private final String prefix = "[" + name() + "]";

	/**
	 * @return the prefix that gives a plain stderr line this level, such as
	 * {@code [WARN]}
	 */
	public String prefix() {
		return this.prefix;
	}

}
