package io.pluginrpc.core.handshake;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class VersionNegotiationTest {

	@ParameterizedTest(name = "plugin {0}, host ''{1}'' -> {2} (agreed {3})")
	@CsvSource(delimiter = ';', nullValues = "null",
			value = { "1; 1; 1; true", "1,2,3; 3,1,2; 3; true", "1,2,3; 2,1; 2; true", "2,5; 5,2; 5; true",
					"1,2; 3,4; 1; false", "3,4; 1,2; 3; false", "1,2; null; 1; false", "1,2; ''; 1; false",
					"7; 7,x; 7; true" })
	void picksTheHighestCommonVersionElseTheLowestOwn(String plugin, String host, int expected, boolean agreed) {
		List<Integer> pluginVersions = new ArrayList<>();
		for (String version : plugin.split(",")) {
			pluginVersions.add(Integer.parseInt(version));
		}
		VersionNegotiation.Result result = VersionNegotiation.negotiate(pluginVersions, host, (warning) -> {
		});
		assertThat(result.version()).isEqualTo(expected);
		assertThat(result.agreed()).isEqualTo(agreed);
	}

	@Test
	void warnsAboutEveryUnparsableItemLikeGoPlugin() {
		List<String> warnings = new ArrayList<>();
		VersionNegotiation.Result result = VersionNegotiation.negotiate(Set.of(1), "1, 2,x,", warnings::add);
		assertThat(result.hostVersions()).containsExactly(1);
		assertThat(warnings).containsExactly("server sent invalid plugin version \" 2\"",
				"server sent invalid plugin version \"x\"", "server sent invalid plugin version \"\"");
	}

	@Test
	void needsAtLeastOneVersion() {
		assertThatIllegalArgumentException().isThrownBy(() -> VersionNegotiation.negotiate(Set.of(), "1", (w) -> {
		}));
	}

}
