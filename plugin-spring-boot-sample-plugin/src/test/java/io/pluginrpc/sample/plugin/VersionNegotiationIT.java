package io.pluginrpc.sample.plugin;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.pluginrpc.core.handshake.HandshakeException;
import io.pluginrpc.core.handshake.HandshakeLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The plugin picks its protocol version from PLUGIN_PROTOCOL_VERSIONS as go-plugin's Serve does. */
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
			assertThat(HandshakeLine.parse("sample", plugin.handshakeLine(), Set.of(1, 2, 3)).appVersion()).isEqualTo(1);
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
			// The plugin explains the mismatch on stderr (it lists the host's versions highest first).
			plugin.awaitStderr("The host offered protocol versions [3, 2]", Duration.ofSeconds(10));
		}
	}

	@Test
	void legacyHostWithoutTheVariableGetsTheOnlyVersion() {
		try (PluginProcess plugin = start(null)) {
			assertThat(plugin.handshake().appVersion()).isEqualTo(1);
		}
	}

}
