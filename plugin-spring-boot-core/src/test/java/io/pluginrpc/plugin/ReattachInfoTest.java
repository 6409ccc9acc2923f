package io.pluginrpc.plugin;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What debug mode prints: go-plugin's ReattachConfig in the JSON shape of Terraform's
 * TF_REATTACH_PROVIDERS entries, and the matching host properties.
 */
class ReattachInfoTest {

	@Test
	void jsonHasGoPluginsFieldNamesAndTerraformsAddressShape() {
		ReattachInfo info = new ReattachInfo("unix", "/tmp/plugin123", 4711, 2);
		assertThat(info.json()).isEqualTo("{\"Protocol\":\"grpc\",\"ProtocolVersion\":2,\"Pid\":4711,\"Test\":true,"
				+ "\"Addr\":{\"Network\":\"unix\",\"String\":\"/tmp/plugin123\"}}");
	}

	@Test
	void addressIsEscapedForJson() {
		ReattachInfo info = new ReattachInfo("unix", "/tmp/a\"b\\c\nd", 1, 1);
		assertThat(info.json()).contains("\"String\":\"/tmp/a\\\"b\\\\c\\u000ad\"");
	}

	@Test
	void propertiesNameThePluginAndTurnTestModeOn() {
		ReattachInfo info = new ReattachInfo("tcp", "[::1]:10000", 99, 1);
		assertThat(info.properties("kv")).isEqualTo("""
				plugins.kv.reattach.network=tcp
				plugins.kv.reattach.address=[::1]:10000
				plugins.kv.reattach.pid=99
				plugins.kv.reattach.protocol-version=1
				plugins.kv.reattach.test=true
				""");
	}

	@Test
	void printedTextStartsWithTheJsonLine() {
		ReattachInfo info = new ReattachInfo("unix", "/tmp/p", 5, 1);
		assertThat(info.format("kv").lines().findFirst()).hasValue(info.json());
		assertThat(info.format("kv")).endsWith(info.properties("kv"));
	}

}
