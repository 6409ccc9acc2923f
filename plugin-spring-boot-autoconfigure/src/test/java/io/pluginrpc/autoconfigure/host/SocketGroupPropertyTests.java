package io.pluginrpc.autoconfigure.host;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.pluginrpc.host.PluginClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * plugins.<name>.socket-group, the host side of go-plugin's PLUGIN_UNIX_SOCKET_GROUP,
 * reaches the plugin's configuration.
 */
class SocketGroupPropertyTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PluginHostAutoConfiguration.class))
		.withPropertyValues("plugins.kv.command=/bin/false", "plugins.kv.lazy=true",
				"plugins.kv.handshake.cookie-key=BASIC_PLUGIN", "plugins.kv.handshake.cookie-value=hello",
				"plugins.kv.protocol-versions.1=io.pluginrpc.sample.proto.KVGrpc");

	@Test
	void socketGroupIsBoundAndAbsentByDefault() {
		this.runner.withPropertyValues("plugins.kv.socket-group=plugins")
			.run((context) -> assertThat(context.getBean(PluginClient.class).getConfig().socketGroup())
				.isEqualTo("plugins"));
		this.runner
			.run((context) -> assertThat(context.getBean(PluginClient.class).getConfig().socketGroup()).isNull());
		this.runner.withPropertyValues("plugins.kv.socket-group= ")
			.run((context) -> assertThat(context.getBean(PluginClient.class).getConfig().socketGroup()).isNull());
	}

}
