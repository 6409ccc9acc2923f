package io.pluginrpc.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.pluginrpc.core.tls.AutoMtlsCertificate;
import io.pluginrpc.testing.Processes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Plugins that misbehave at start, as real processes: each is refused with an error
 * naming the plugin, what was expected and what arrived, and nothing is left running or
 * on disk. The message says which limit ended the wait; the JUnit timeout only guards
 * against a hang.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PluginClientBadInputTest {

	private final PluginHost host = PluginHost.create();

	@TempDir
	Path dir;

	/**
	 * The clients' socket directories go here, so other processes' sockets cannot blur
	 * the check.
	 */
	@TempDir
	Path sockets;

	@AfterEach
	void noSocketDirectoryIsLeft() throws Exception {
		this.host.close();
		try (var entries = Files.list(this.sockets)) {
			assertThat(entries.toList()).as("socket directories left behind").isEmpty();
		}
	}

	@Test
	void aPluginThatPrintsGarbage() {
		assertStartFails(shell("echo 'Spring Boot banner :: v3'; exec sleep 60"), Duration.ofSeconds(30),
				PluginStartException.Reason.HANDSHAKE,
				"Plugin 'bad': expected a handshake line like '1|1|unix|/tmp/plugin.sock|grpc|' as the first line on stdout, but got 'Spring Boot banner :: v3'");
	}

	@Test
	void aPluginThatNeverHandshakes() {
		assertStartFails(shell("echo 'still booting' >&2; exec sleep 60"), Duration.ofSeconds(2),
				PluginStartException.Reason.HANDSHAKE,
				"Plugin 'bad': the plugin printed no handshake line within 2.0 s (start-timeout); its last stderr lines:\n  still booting");
	}

	@Test
	void aPluginThatExitsAtOnce() {
		assertStartFails(shell("echo 'cannot open database' >&2; exit 3"), Duration.ofSeconds(30),
				PluginStartException.Reason.HANDSHAKE,
				"Plugin 'bad': the plugin exited with status 3 before printing a handshake line; its last stderr lines:\n  cannot open database");
	}

	@Test
	void aSecondFailedStartReportsOnlyWhatTheSecondProcessWrote() throws Exception {
		Path marker = this.dir.resolve("ran-once");
		PluginClient client = client(
				config(shell("if [ -e " + marker + " ]; then echo 'second run' >&2; exit 4; fi; touch " + marker
						+ "; echo 'first run' >&2; exit 3"), Duration.ofSeconds(30), false, null));
		assertThatExceptionOfType(PluginStartException.class).isThrownBy(client::start)
			.withMessageEndingWith(
					"exited with status 3 before printing a handshake line; its last stderr lines:\n  first run");
		assertThatExceptionOfType(PluginStartException.class).isThrownBy(client::start)
			.withMessageEndingWith(
					"exited with status 4 before printing a handshake line; its last stderr lines:\n  second run");
		assertThat(client.getRecentStderr()).as("the log keeps both").containsExactly("first run", "second run");
		assertNoChildren();
	}

	@Test
	void aPluginThatRejectsTheCookie() {
		String script = "if [ \"$BASIC_PLUGIN\" != right ]; then printf 'This binary is a plugin. These are not meant to be executed directly.\\n' >&2; exit 1; fi; exec sleep 60";
		assertStartFails(shell(script), Duration.ofSeconds(30), PluginStartException.Reason.HANDSHAKE,
				"exited with status 1 before printing a handshake line; its last stderr lines:\n  This binary is a plugin.");
	}

	@Test
	void aPluginWithNoCommonVersion() {
		assertStartFails(shell("echo '1|7|unix|/tmp/nowhere.sock|grpc|'; exec sleep 60"), Duration.ofSeconds(30),
				PluginStartException.Reason.HANDSHAKE,
				"Plugin 'bad': the plugin chose protocol version 7, but this host offered only [1]");
	}

	@Test
	void aPluginThatExitsRightAfterItsHandshake() {
		// Without watching the process, the health check would wait for the socket until
		// the start-timeout.
		assertStartFails(shell("echo '1|1|unix|/tmp/nowhere.sock|grpc|'; echo 'lost my socket' >&2; exit 4"),
				Duration.ofSeconds(120), PluginStartException.Reason.CONNECT,
				"Plugin 'bad': the plugin exited with status 4 after its handshake line, before answering the health check of service 'plugin' on unix /tmp/nowhere.sock; its last stderr lines:\n  lost my socket");
	}

	@Test
	void aPluginThatAnnouncesASocketNobodyListensOn() {
		assertStartFails(shell("echo '1|1|unix|/tmp/nowhere.sock|grpc|'; exec sleep 60"), Duration.ofSeconds(120),
				PluginStartException.Reason.CONNECT,
				"Plugin 'bad': the health check of service 'plugin' on unix /tmp/nowhere.sock failed: UNAVAILABLE: ");
	}

	@Test
	void aPluginThatAnnouncesAnUnusableTcpAddress() {
		assertStartFails(shell("echo '1|1|tcp|127.0.0.1:http|grpc|'; exec sleep 60"), Duration.ofSeconds(30),
				PluginStartException.Reason.CONNECT,
				"Plugin 'bad': expected a tcp address like 127.0.0.1:10000, but got '127.0.0.1:http'");
	}

	@Test
	void aPluginWithABadCertificate() {
		assertStartFails(shell("echo '1|1|unix|/tmp/nowhere.sock|grpc|" + "A".repeat(80) + "'; exec sleep 60"),
				Duration.ofSeconds(30), PluginStartException.Reason.HANDSHAKE,
				"field 6 of the handshake line should be the plugin's X.509 certificate, but it could not be parsed");
	}

	@Test
	void aPluginThatIgnoresAutoMtls() {
		PluginClient client = client(config(shell("echo '1|1|unix|/tmp/nowhere.sock|grpc|'; exec sleep 60"),
				Duration.ofSeconds(30), true, null));
		assertThatExceptionOfType(PluginStartException.class).isThrownBy(client::start)
			.withMessageContaining("AutoMTLS is on, but the plugin sent no certificate in its handshake line")
			.withMessageContaining("plugins.bad.auto-mtls=false");
		assertThat(client.getState()).isEqualTo(PluginState.FAILED);
	}

	@Test
	void aPluginServingTlsToAHostWithoutTls() {
		String certificate = Base64.getEncoder().withoutPadding().encodeToString(AutoMtlsCertificate.generate().der());
		assertStartFails(shell("echo '1|1|unix|/tmp/nowhere.sock|grpc|" + certificate + "'; exec sleep 60"),
				Duration.ofSeconds(30), PluginStartException.Reason.HANDSHAKE,
				"Plugin 'bad': the plugin serves TLS (its handshake line carries a certificate), but the host would connect"
						+ " in plaintext: auto-mtls is off and no tls is configured; set plugins.bad.auto-mtls=true");
	}

	@Test
	void withSkipHostEnvThePluginGetsExactlyTheConfiguredEnvironmentPlusTheProtocolVariables() throws Exception {
		Path dump = this.dir.resolve("env");
		PluginClient client = client(new PluginClientConfig("bad", shell("env > " + dump + "; exit 1"), this.dir,
				Map.of("PATH", "/usr/bin:/bin", "KV_DIR", "/data", "PLUGIN_CLIENT_CERT", "smuggled"), "BASIC_PLUGIN",
				"hello", Set.of(2, 1), false, null, null, Duration.ofSeconds(30), Duration.ofSeconds(2), 10000, 25000,
				false, null, this.sockets)
			.withSkipHostEnv(true));
		assertThatExceptionOfType(PluginStartException.class).isThrownBy(client::start);
		Map<String, String> env = readEnv(dump);
		assertThat(env.keySet()).containsExactly("BASIC_PLUGIN", "KV_DIR", "PATH", "PLUGIN_MAX_PORT", "PLUGIN_MIN_PORT",
				"PLUGIN_PROTOCOL_VERSIONS", "PLUGIN_UNIX_SOCKET_DIR");
		assertThat(env).containsEntry("BASIC_PLUGIN", "hello")
			.containsEntry("PLUGIN_MIN_PORT", "10000")
			.containsEntry("PLUGIN_MAX_PORT", "25000")
			.containsEntry("PLUGIN_PROTOCOL_VERSIONS", "1,2");
		assertThat(env.get("PLUGIN_UNIX_SOCKET_DIR")).startsWith(this.sockets.toString())
			.matches(".*/plugin[0-9a-z]{8}");
	}

	@Test
	void byDefaultThePluginInheritsTheHostsEnvironmentWithoutItsPluginVariables() throws Exception {
		Path dump = this.dir.resolve("env");
		PluginClient client = client(new PluginClientConfig("bad", shell("env > " + dump + "; exit 1"), this.dir,
				Map.of("KV_DIR", "/data"), "BASIC_PLUGIN", "hello", Set.of(1), false, null, null,
				Duration.ofSeconds(30), Duration.ofSeconds(2), 10000, 25000, false, null, this.sockets));
		assertThatExceptionOfType(PluginStartException.class).isThrownBy(client::start);
		Map<String, String> env = readEnv(dump);
		Map<String, String> host = new java.util.TreeMap<>(System.getenv());
		host.entrySet()
			.removeIf((e) -> e.getKey().startsWith("PLUGIN_") || e.getValue().contains("\n")
					|| Set.of("PWD", "SHLVL", "_", "OLDPWD").contains(e.getKey()));
		assertThat(env).containsAllEntriesOf(host)
			.containsEntry("KV_DIR", "/data")
			.containsEntry("BASIC_PLUGIN", "hello");
		assertThat(env.keySet()).filteredOn((key) -> key.startsWith("PLUGIN_"))
			.containsExactlyInAnyOrder("PLUGIN_MAX_PORT", "PLUGIN_MIN_PORT", "PLUGIN_PROTOCOL_VERSIONS",
					"PLUGIN_UNIX_SOCKET_DIR");
	}

	/**
	 * The environment a plugin dumped with env(1), less what the shell itself adds (PWD,
	 * SHLVL, _).
	 */
	private static Map<String, String> readEnv(Path dump) throws java.io.IOException {
		Map<String, String> env = new java.util.TreeMap<>();
		for (String line : Files.readAllLines(dump)) {
			int equals = line.indexOf('=');
			if (equals > 0) {
				env.put(line.substring(0, equals), line.substring(equals + 1));
			}
		}
		env.keySet().removeAll(Set.of("PWD", "SHLVL", "_", "OLDPWD"));
		return env;
	}

	@Test
	void aChecksumMismatchStopsTheLaunch() throws Exception {
		Path marker = this.dir.resolve("launched");
		PluginClient client = client(config(shell("touch " + marker + "; exec sleep 60"), Duration.ofSeconds(30), false,
				"sha256:" + "00".repeat(32)));
		assertThatExceptionOfType(PluginStartException.class).isThrownBy(client::start)
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(PluginStartException.Reason.CHECKSUM))
			.withMessageStartingWith("Plugin 'bad': checksums did not match for /")
			.withMessageContaining("expected sha256:0000");
		assertThat(marker).doesNotExist();
		assertThat(client.getState()).isEqualTo(PluginState.FAILED);
		assertThat(client.getLastFailure()).startsWith("Plugin 'bad': checksums did not match");
	}

	@Test
	void aMatchingChecksumLaunches() throws Exception {
		String sha = java.util.HexFormat.of()
			.formatHex(java.security.MessageDigest.getInstance("SHA-256")
				.digest(Files.readAllBytes(Path.of("/bin/sh").toRealPath())));
		PluginClient client = client(config(shell("echo garbage"), Duration.ofSeconds(30), false, "sha256:" + sha));
		assertThatExceptionOfType(PluginStartException.class).isThrownBy(client::start)
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(PluginStartException.Reason.HANDSHAKE));
	}

	@Test
	void aMissingExecutable() {
		PluginClient client = client(config(List.of("/no/such/plugin"), Duration.ofSeconds(30), false, null));
		assertThatExceptionOfType(PluginStartException.class).isThrownBy(client::start)
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(PluginStartException.Reason.EXECUTABLE))
			.withMessageStartingWith("Plugin 'bad': cannot start [/no/such/plugin]");
		assertThat(client.getState()).isEqualTo(PluginState.FAILED);
	}

	private void assertStartFails(List<String> command, Duration timeout, PluginStartException.Reason reason,
			String message) {
		PluginClient client = client(config(command, timeout, false, null));
		assertThatExceptionOfType(PluginStartException.class).isThrownBy(client::start)
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(reason))
			.withMessageContaining(message)
			.satisfies(
					(ex) -> assertThat(ex.getMessage()).as("no stack traces in the message").doesNotContain("\tat "));
		assertThat(client.getState()).isEqualTo(PluginState.FAILED);
		assertNoChildren();
	}

	private PluginClientConfig config(List<String> command, Duration startTimeout, boolean autoMtls, String checksum) {
		return new PluginClientConfig("bad", command, this.dir, Map.of("PATH", "/usr/bin:/bin"), "BASIC_PLUGIN",
				"hello", Set.of(1), autoMtls, null, checksum, startTimeout, Duration.ofSeconds(2), 10000, 25000, false,
				null, this.sockets);
	}

	private static List<String> shell(String script) {
		return List.of("/bin/sh", "-c", script);
	}

	private PluginClient client(PluginClientConfig config) {
		return new PluginClient(config, this.host);
	}

	private void assertNoChildren() {
		try {
			Processes.awaitGone(ProcessHandle.current()
				.children()
				.filter((child) -> child.pid() != this.host.orphanGuardPid())
				.toList(), "children left by the failed start");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

}
