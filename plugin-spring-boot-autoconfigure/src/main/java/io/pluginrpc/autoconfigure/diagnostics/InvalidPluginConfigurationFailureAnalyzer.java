package io.pluginrpc.autoconfigure.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.pluginrpc.autoconfigure.host.InvalidPluginConfigurationException;

/** Explains an invalid {@code plugins.<name>.*} property. */
class InvalidPluginConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidPluginConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidPluginConfigurationException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Update " + cause.getProperty() + " in your application configuration (see the plugins.* properties in README.md).",
				cause);
	}

}
