package io.pluginrpc.autoconfigure.diagnostics;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.env.Environment;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

import io.pluginrpc.autoconfigure.host.InvalidPluginConfigurationException;
import io.pluginrpc.core.handshake.HandshakeException;
import io.pluginrpc.host.ChecksumMismatchException;
import io.pluginrpc.host.PluginStartException;
import io.pluginrpc.plugin.PluginStartupException;

import static org.assertj.core.api.Assertions.assertThat;

class PluginFailureAnalyzersTests {

	@Test
	void explainsAPluginThatExitedBeforeItsHandshakeWithTheCookieAndPortRange() {
		PluginStartException failure = handshakeFailure(new HandshakeException(HandshakeException.Reason.EXITED, "kv",
				"the plugin exited with status 1 before printing a handshake line"));
		FailureAnalysis analysis = new PluginStartFailureAnalyzer()
			.analyze(new BeanCreationException("kv", "start failed", failure));
		assertThat(analysis.getDescription()).isEqualTo(failure.getMessage());
		assertThat(analysis.getAction()).contains("plugins.kv.handshake.cookie-key",
				"plugins.kv.handshake.cookie-value", "plugins.kv.transport.min-port..plugins.kv.transport.max-port",
				"plugins.kv.lazy=true");
	}

	@Test
	void namesTheVersionToAddForAVersionMismatch() {
		PluginStartException failure = handshakeFailure(HandshakeException.versionMismatch("kv",
				"the plugin chose protocol version 1, but this host offered only [2]", 1, Set.of(2)));
		assertThat(new PluginStartFailureAnalyzer().analyze(failure).getAction())
			.startsWith("The plugin serves protocol version 1, but plugins.kv.protocol-versions offers only [2]."
					+ " Add version 1 to plugins.kv.protocol-versions")
			.contains("plugins.kv.protocol-versions.1=");
	}

	@Test
	void showsBothChecksumsAndTheFile() {
		ChecksumMismatchException failure = new ChecksumMismatchException("kv", Path.of("/opt/kv/plugin"), "sha256:aa",
				"sha256:bb");
		assertThat(failure.getReason()).isEqualTo(PluginStartException.Reason.CHECKSUM);
		assertThat(new PluginStartFailureAnalyzer().analyze(failure).getAction()).contains(
				"/opt/kv/plugin has checksum sha256:bb", "plugins.kv.checksum is sha256:aa",
				"set plugins.kv.checksum=sha256:bb");
	}

	@Test
	void showsTheLineThePluginPrintedInsteadOfAHandshake() {
		PluginStartException failure = handshakeFailure(
				HandshakeException.unrecognized("kv", "expected a handshake line", "Starting KV plugin..."));
		assertThat(new PluginStartFailureAnalyzer().analyze(failure).getAction())
			.startsWith("The plugin's first stdout line was 'Starting KV plugin...'");
	}

	@Test
	void explainsAStartTimeoutWithWhatStdoutHeld() {
		PluginStartException failure = handshakeFailure(new HandshakeException(HandshakeException.Reason.TIMEOUT, "kv",
				"the plugin printed no handshake line within 60.0 s (start-timeout)"));
		assertThat(new PluginStartFailureAnalyzer().analyze(failure).getAction())
			.startsWith("The plugin printed no complete line on stdout within plugins.kv.start-timeout")
			.contains("ending in a newline");
	}

	@Test
	void explainsEachStartFailureReasonAndEachHandshakeReason() {
		for (PluginStartException.Reason reason : PluginStartException.Reason.values()) {
			FailureAnalysis analysis = new PluginStartFailureAnalyzer()
				.analyze(new PluginStartException("kv", reason, "Plugin 'kv': failed", null));
			assertThat(analysis.getAction()).as(reason.name()).contains("plugins.kv.");
		}
		for (HandshakeException.Reason reason : HandshakeException.Reason.values()) {
			FailureAnalysis analysis = new PluginStartFailureAnalyzer()
				.analyze(handshakeFailure(new HandshakeException(reason, "kv", "failed")));
			assertThat(analysis.getAction()).as(reason.name()).isNotBlank();
		}
		assertThat(new PluginStartFailureAnalyzer()
			.analyze(new PluginStartException("kv", PluginStartException.Reason.CHECKSUM, "x", null))
			.getAction()).contains("sha256sum");
	}

	@Test
	void letsBootShowTheInvalidPropertyItsValueAndWhereItWasSet() {
		StandardEnvironment environment = new StandardEnvironment();
		TextResourceOrigin origin = new TextResourceOrigin(new ByteArrayResource(new byte[0], "application.yml"),
				new TextResourceOrigin.Location(6, 4));
		environment.getPropertySources()
			.addFirst(new OriginTrackedMapPropertySource("application.yml",
					Map.of("plugins.kv.start-timeout", OriginTrackedValue.of("0s", origin))));
		InvalidPluginConfigurationException failure = new InvalidPluginConfigurationException("kv", "start-timeout",
				"0s", "must be positive, but is PT0S", null);
		assertThat(failure.getMessage())
			.isEqualTo("Invalid configuration of plugin 'kv': plugins.kv.start-timeout must be positive, but is PT0S");
		FailureAnalysis analysis = analyzeWithBootsAnalyzers(environment, new IllegalStateException(failure));
		assertThat(analysis.getDescription()).contains(
				"Invalid value '0s' for configuration property 'plugins.kv.start-timeout'", "application.yml", "7:5",
				"plugin 'kv': must be positive, but is PT0S");
	}

	@Test
	void explainsAPluginThatCannotServe() {
		FailureAnalysis analysis = new PluginStartupFailureAnalyzer().analyze(
				new PluginStartupException("PLUGIN_MIN_PORT value of 3 is greater than PLUGIN_MAX_PORT value of 2"));
		assertThat(analysis.getDescription())
			.endsWith("PLUGIN_MIN_PORT value of 3 is greater than PLUGIN_MAX_PORT value of 2");
		assertThat(analysis.getAction()).contains("plugin-server.*");
	}

	private static PluginStartException handshakeFailure(HandshakeException cause) {
		return new PluginStartException("kv", PluginStartException.Reason.HANDSHAKE, cause.getMessage(), cause);
	}

	/**
	 * Every analyzer Spring Boot would load, in its order; the first that answers wins,
	 * as at start-up.
	 */
	private static FailureAnalysis analyzeWithBootsAnalyzers(Environment environment, Throwable failure) {
		List<FailureAnalyzer> analyzers = SpringFactoriesLoader
			.forDefaultResourceLocation(PluginFailureAnalyzersTests.class.getClassLoader())
			.load(FailureAnalyzer.class,
					ArgumentResolver.of(Environment.class, environment)
						.and(BeanFactory.class, new DefaultListableBeanFactory()),
					FailureHandler.logging(LogFactory.getLog(PluginFailureAnalyzersTests.class)));
		return analyzers.stream()
			.map((analyzer) -> analyzer.analyze(failure))
			.filter(Objects::nonNull)
			.findFirst()
			.orElseThrow();
	}

}
