package io.pluginrpc.logging;

/** hclog's levels, the ones a go-plugin host maps plugin log lines to. */
public enum PluginLogLevel {

	TRACE, DEBUG, INFO, WARN, ERROR

}
