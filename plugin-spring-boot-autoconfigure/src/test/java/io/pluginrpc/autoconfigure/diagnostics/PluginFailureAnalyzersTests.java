package io.pluginrpc.autoconfigure.diagnostics;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.pluginrpc.autoconfigure.host.InvalidPluginConfigurationException;
import io.pluginrpc.host.PluginStartException;
import io.pluginrpc.plugin.PluginStartupException;

import static org.assertj.core.api.Assertions.assertThat;

class PluginFailureAnalyzersTests {

	@Test
	void explainsAFailedHandshakeWithWhatToCheck() {
		PluginStartException failure = new PluginStartException("kv", PluginStartException.Reason.HANDSHAKE,
				"Plugin 'kv': the plugin exited with status 1 before printing a handshake line", null);
		FailureAnalysis analysis = new PluginStartFailureAnalyzer()
			.analyze(new BeanCreationException("kv", "start failed", failure));
		assertThat(analysis.getDescription()).isEqualTo(failure.getMessage());
		assertThat(analysis.getAction()).contains("plugins.kv.command", "plugins.kv.handshake", "plugins.kv.start-timeout",
				"plugins.kv.lazy=true");
	}

	@Test
	void explainsEachStartFailureReason() {
		for (PluginStartException.Reason reason : PluginStartException.Reason.values()) {
			FailureAnalysis analysis = new PluginStartFailureAnalyzer()
				.analyze(new PluginStartException("kv", reason, "Plugin 'kv': failed", null));
			assertThat(analysis.getAction()).as(reason.name()).contains("plugins.kv.");
		}
		assertThat(new PluginStartFailureAnalyzer()
			.analyze(new PluginStartException("kv", PluginStartException.Reason.CHECKSUM, "x", null))
			.getAction()).contains("sha256sum");
	}

	@Test
	void recognisesAnExhaustedPortRange() {
		FailureAnalysis analysis = new PluginStartFailureAnalyzer().analyze(new PluginStartException("kv",
				PluginStartException.Reason.HANDSHAKE,
				"Plugin 'kv': the plugin exited with status 1 before printing a handshake line; its last stderr lines:\n"
						+ "  Couldn't bind plugin TCP listener",
				null));
		assertThat(analysis.getAction()).contains("plugins.kv.transport.min-port..max-port is taken");
	}

	@Test
	void pointsAtTheInvalidProperty() {
		FailureAnalysis analysis = new InvalidPluginConfigurationFailureAnalyzer()
			.analyze(new IllegalStateException(new InvalidPluginConfigurationException("kv", "command", "is empty", null)));
		assertThat(analysis.getDescription()).isEqualTo("Invalid configuration of plugin 'kv': plugins.kv.command is empty");
		assertThat(analysis.getAction()).startsWith("Update plugins.kv.command");
	}

	@Test
	void explainsAPluginThatCannotServe() {
		FailureAnalysis analysis = new PluginStartupFailureAnalyzer()
			.analyze(new PluginStartupException("PLUGIN_MIN_PORT value of 3 is greater than PLUGIN_MAX_PORT value of 2"));
		assertThat(analysis.getDescription()).endsWith("PLUGIN_MIN_PORT value of 3 is greater than PLUGIN_MAX_PORT value of 2");
		assertThat(analysis.getAction()).contains("plugin-server.*");
	}

}
