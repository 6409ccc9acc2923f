package io.pluginrpc.sample.plugin;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.pluginrpc.core.handshake.HandshakeException;
import io.pluginrpc.core.handshake.HandshakeLine;
import io.pluginrpc.sample.plugin.InteropPeers.GoPeer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The plugin picks its protocol version from PLUGIN_PROTOCOL_VERSIONS as go-plugin's
 * Serve does: with the test as host (to read the raw handshake line) and with a go-plugin
 * host of each version.
 */
class VersionNegotiationIT {

	private static PluginProcess start(String versions) {
		Map<String, String> env = PluginProcess.hostEnvironment();
		if (versions == null) {
			env.remove("PLUGIN_PROTOCOL_VERSIONS");
		}
		else {
			env.put("PLUGIN_PROTOCOL_VERSIONS", versions);
		}
		return PluginProcess.start(env);
	}

	@Test
	void picksItsVersionFromAnUnorderedList() throws Exception {
		try (PluginProcess plugin = start("3,1,2")) {
			assertThat(plugin.handshakeLine()).startsWith("1|1|unix|");
			assertThat(HandshakeLine.parse("sample", plugin.handshakeLine(), Set.of(1, 2, 3)).appVersion())
				.isEqualTo(1);
		}
	}

	@Test
	void announcesItsOwnVersionWhenTheHostOffersOthersAndTheHostRejectsIt() {
		try (PluginProcess plugin = start("2,3")) {
			String line = plugin.handshakeLine();
			assertThat(line).startsWith("1|1|unix|");
			HandshakeException error = catchThrowableOfType(HandshakeException.class,
					() -> HandshakeLine.parse("sample", line, Set.of(2, 3)));
			assertThat(error).isNotNull();
			assertThat(error.getReason()).isEqualTo(HandshakeException.Reason.APP_VERSION);
			assertThat(error.getMessage()).contains("sample").contains("version 1").contains("[2, 3]");
			// The plugin explains the mismatch on stderr (it lists the host's versions
			// highest first).
			plugin.awaitStderr("The host offered protocol versions [3, 2]", Duration.ofSeconds(10));
		}
	}

	/**
	 * A go-plugin host of each version offering {@code 3,1,2} gets version 1 from the
	 * plugin and uses it.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("io.pluginrpc.sample.plugin.InteropPeers#goPeers")
	void goHostOfferingAnUnorderedListGetsTheVersionTheyShare(GoPeer peer) {
		String output = GoHost.runPassing(peer, List.of("-versions", "3,1,2", "-scenario", "kv"));
		assertThat(output).contains("INFO negotiated version 1, address ").contains("PASS put/get");
	}

	/**
	 * A go-plugin host of each version offering only {@code 2,3}: the plugin explains the
	 * mismatch on stderr (which the Go host logs) and announces version 1, the Go host
	 * refuses it with go-plugin's own message, and after its {@code Kill()} the plugin
	 * process is gone (the host's {@code kill} check). go-plugin lists its versions in
	 * map order, so either order is accepted.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("io.pluginrpc.sample.plugin.InteropPeers#goPeers")
	void goHostOfferingOtherVersionsRefusesThePlugin(GoPeer peer) {
		String output = GoHost.run(peer, List.of("-versions", "2,3", "-scenario", "handshake"));
		assertThat(output).as(output)
			.contains("The host offered protocol versions [3, 2]")
			.containsPattern(
					"(?m)^FAIL start: Incompatible API version with plugin. Plugin version: 1, Client versions: \\[(2 3|3 2)\\]$")
			.containsPattern("(?m)^PASS kill$")
			.containsPattern("(?m)^RESULT 1 passed, 1 failed$")
			.endsWith("(exit status 1)");
	}

	/**
	 * Only a host older than go-plugin's versioned plugins omits the variable; go-plugin
	 * 1.0.1 and 1.6.3 hosts always send it, so this case has no Go peer.
	 */
	@Test
	void legacyHostWithoutTheVariableGetsTheOnlyVersion() {
		try (PluginProcess plugin = start(null)) {
			assertThat(plugin.handshake().appVersion()).isEqualTo(1);
		}
	}

}
