package io.pluginrpc.integration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.pluginrpc.core.tls.AutoMtlsCertificate;
import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginClientConfig;
import io.pluginrpc.host.PluginStartException;
import io.pluginrpc.host.PluginState;
import io.pluginrpc.reliability.ReliabilityRecord;
import io.pluginrpc.sample.plugin.InteropPeers;
import io.pluginrpc.testing.Processes;
import io.pluginrpc.testing.TestHost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * TLS that does not fit, end to end with the sample plugin behind a small shell wrapper
 * that breaks one thing: the host refuses to go on, with a message naming the plugin and
 * what did not match, and leaves no process behind. (The plugin's own refusal of
 * plaintext and foreign clients on its socket is tested in the sample plugin's
 * AutoMtlsIT.)
 */
class TlsMismatchIT {

	private static final String JAR = InteropPeers.samplePluginJar().toString();

	private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

	@Test
	void aPluginServingAnotherCertificateThanItsHandshakeLineNamesIsRefused() throws Exception {
		// The plugin's real certificate is swapped for a stranger's in field 6 of the
		// handshake line.
		String stranger = Base64.getEncoder().withoutPadding().encodeToString(AutoMtlsCertificate.generate().der());
		PluginStartException failure = failedStart(true,
				"'" + JAVA + "' -jar '" + JAR + "' | sed -u \"1s#|[^|]*\\$#|$STRANGER#\"",
				Map.of("STRANGER", stranger));
		assertThat(failure.getMessage()).startsWith("Plugin 'tls': ")
			.contains("the certificate the plugin presented is not the one in its handshake line");
		record("certificateNotTheHandshakes", failure);
	}

	@Test
	void aPlaintextHostAgainstAnAutoMtlsPluginIsToldThePluginServesTls() throws Exception {
		// The plugin gets a client certificate although the host, with auto-mtls off,
		// will not present one.
		PluginStartException failure = failedStart(false,
				"PLUGIN_CLIENT_CERT=\"$CLIENT\" exec '" + JAVA + "' -jar '" + JAR + "'",
				Map.of("CLIENT", AutoMtlsCertificate.generate().pem()));
		assertThat(failure.getMessage()).startsWith("Plugin 'tls': ").contains("serves TLS").contains("auto-mtls");
		record("plaintextHost", failure);
	}

	@Test
	void aClientCertificateThePluginDidNotReceiveIsRefused() throws Exception {
		// The plugin trusts a stranger's certificate instead of the one the host
		// generated and presents.
		PluginStartException failure = failedStart(true,
				"PLUGIN_CLIENT_CERT=\"$CLIENT\" exec '" + JAVA + "' -jar '" + JAR + "'",
				Map.of("CLIENT", AutoMtlsCertificate.generate().pem()));
		assertThat(failure.getMessage()).startsWith("Plugin 'tls': ")
			.contains("the plugin refused the host's client certificate");
		record("clientCertificateNotGiven", failure);
	}

	/**
	 * Starts the wrapped plugin, expects the start to fail, and checks that nothing is
	 * left running.
	 */
	private static PluginStartException failedStart(boolean autoMtls, String script, Map<String, String> env)
			throws InterruptedException {
		PluginClient client = new PluginClient(new PluginClientConfig("tls", List.of("/bin/sh", "-c", script), null,
				env, "BASIC_PLUGIN", "hello", Set.of(1), autoMtls, null, null, Processes.HANG_GUARD,
				Duration.ofSeconds(2), 10000, 25000, false, null, null), TestHost.SHARED);
		List<ProcessHandle> before = ProcessHandle.current().descendants().toList();
		try {
			PluginStartException failure = catchThrowableOfType(PluginStartException.class, client::start);
			assertThat(failure).as("the start must fail").isNotNull();
			assertThat(client.getState()).isEqualTo(PluginState.FAILED);
			List<ProcessHandle> started = ProcessHandle.current()
				.descendants()
				.filter((p) -> !before.contains(p))
				// The wrapper, the plugin and sed; not the orphan guard (a shell script
				// that runs sed too).
				.filter((p) -> p.info().commandLine().map((c) -> c.contains(JAR) || c.contains("sed -u")).orElse(false))
				.toList();
			Processes.awaitGone(started, "processes of the failed start");
			return failure;
		}
		finally {
			client.stop();
		}
	}

	private static void record(String scenario, PluginStartException failure) {
		ReliabilityRecord.put(TlsMismatchIT.class, "tls." + scenario + ".rejected", 1);
		// The message without the plugin's stderr lines and the socket's random path.
		String message = failure.getMessage().split("; its last stderr lines")[0].replaceAll("/tmp/\\S+", "<socket>");
		ReliabilityRecord.put(TlsMismatchIT.class, "tls." + scenario + ".message", message.replace('\n', ' '));
	}

}
