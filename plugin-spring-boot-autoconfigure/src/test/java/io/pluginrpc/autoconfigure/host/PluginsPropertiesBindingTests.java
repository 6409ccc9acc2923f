package io.pluginrpc.autoconfigure.host;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import io.pluginrpc.autoconfigure.PluginNetwork;
import io.pluginrpc.autoconfigure.plugin.PluginServerProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How {@code plugins.<name>.*} and {@code plugin-server.*} bind, as the binder sees them.
 */
class PluginsPropertiesBindingTests {

	@Test
	void bindsEveryPluginPropertyInRelaxedForms() {
		Map<String, Object> source = Map.ofEntries(Map.entry("plugins.kv.command[0]", "java"),
				Map.entry("plugins.kv.command[1]", "-jar"), Map.entry("plugins.kv.command[2]", "kv.jar"),
				Map.entry("plugins.kv.working-directory", "/srv/kv"), Map.entry("plugins.kv.env.TZ", "UTC"),
				Map.entry("plugins.kv.skip-host-env", "true"),
				Map.entry("plugins.kv.handshake.cookie-key", "BASIC_PLUGIN"),
				Map.entry("plugins.kv.handshake.cookie-value", "hello"),
				Map.entry("plugins.kv.protocol-versions.1", "com.example.KVGrpc"),
				Map.entry("plugins.kv.protocol-versions.2", "com.example.KVGrpc,com.example.CounterGrpc"),
				Map.entry("plugins.kv.auto-mtls", "false"), Map.entry("plugins.kv.tls.bundle", "plugins"),
				Map.entry("plugins.kv.checksum", "sha256:ab"), Map.entry("plugins.kv.start-timeout", "5s"),
				Map.entry("plugins.kv.stop-timeout", "250ms"), Map.entry("plugins.kv.lazy", "true"),
				Map.entry("plugins.kv.socket-directory", "/run/kv"), Map.entry("plugins.kv.fail-fast", "false"),
				Map.entry("plugins.kv.restart.enabled", "false"), Map.entry("plugins.kv.restart.initial-backoff", "2s"),
				Map.entry("plugins.kv.restart.max-backoff", "1m"), Map.entry("plugins.kv.restart.multiplier", "1.5"),
				Map.entry("plugins.kv.restart.max-restarts", "-1"), Map.entry("plugins.kv.restart.call-wait", "10s"),
				Map.entry("plugins.kv.transport.min-port", "20000"),
				Map.entry("plugins.kv.transport.max-port", "20010"), Map.entry("plugins.kv.reattach.network", "TCP"),
				Map.entry("plugins.kv.reattach.address", "127.0.0.1:1234"), Map.entry("plugins.kv.reattach.pid", "42"),
				Map.entry("plugins.kv.reattach.protocol-version", "2"), Map.entry("plugins.kv.reattach.test", "true"));
		PluginProperties kv = bind(source).getPlugins().get("kv");
		assertThat(kv.getCommand()).containsExactly("java", "-jar", "kv.jar");
		assertThat(kv.getWorkingDirectory()).isEqualTo("/srv/kv");
		assertThat(kv.getEnv()).containsExactly(Map.entry("TZ", "UTC"));
		assertThat(kv.isSkipHostEnv()).isTrue();
		assertThat(kv.getHandshake().getCookieKey()).isEqualTo("BASIC_PLUGIN");
		assertThat(kv.getHandshake().getCookieValue()).isEqualTo("hello");
		assertThat(kv.getProtocolVersions()).containsOnly(Map.entry(1, List.of("com.example.KVGrpc")),
				Map.entry(2, List.of("com.example.KVGrpc", "com.example.CounterGrpc")));
		assertThat(kv.isAutoMtls()).isFalse();
		assertThat(kv.getTls().getBundle()).isEqualTo("plugins");
		assertThat(kv.getChecksum()).isEqualTo("sha256:ab");
		assertThat(kv.getStartTimeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(kv.getStopTimeout()).isEqualTo(Duration.ofMillis(250));
		assertThat(kv.isLazy()).isTrue();
		assertThat(kv.getSocketDirectory()).isEqualTo("/run/kv");
		assertThat(kv.isFailFast()).isFalse();
		assertThat(kv.getRestart().isEnabled()).isFalse();
		assertThat(kv.getRestart().getInitialBackoff()).isEqualTo(Duration.ofSeconds(2));
		assertThat(kv.getRestart().getMaxBackoff()).isEqualTo(Duration.ofMinutes(1));
		assertThat(kv.getRestart().getMultiplier()).isEqualTo(1.5);
		assertThat(kv.getRestart().getMaxRestarts()).isEqualTo(-1);
		assertThat(kv.getRestart().getCallWait()).isEqualTo(Duration.ofSeconds(10));
		assertThat(kv.getTransport().getMinPort()).isEqualTo(20000);
		assertThat(kv.getTransport().getMaxPort()).isEqualTo(20010);
		assertThat(kv.getReattach().getNetwork()).isEqualTo(PluginNetwork.TCP);
		assertThat(kv.getReattach().getAddress()).isEqualTo("127.0.0.1:1234");
		assertThat(kv.getReattach().getPid()).isEqualTo(42);
		assertThat(kv.getReattach().getProtocolVersion()).isEqualTo(2);
		assertThat(kv.getReattach().isTest()).isTrue();
	}

	@Test
	void hasTheDocumentedDefaults() {
		PluginProperties kv = bind(Map.of("plugins.kv.command", "kv")).getPlugins().get("kv");
		assertThat(kv.getCommand()).containsExactly("kv");
		assertThat(kv.isAutoMtls()).isTrue();
		assertThat(kv.isSkipHostEnv()).isFalse();
		assertThat(kv.getStartTimeout()).isEqualTo(Duration.ofSeconds(60));
		assertThat(kv.getStopTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(kv.isLazy()).isFalse();
		assertThat(kv.isFailFast()).isTrue();
		assertThat(kv.getReattach()).isNull();
		assertThat(kv.getRestart().isEnabled()).isTrue();
		assertThat(kv.getRestart().getInitialBackoff()).isEqualTo(Duration.ofSeconds(1));
		assertThat(kv.getRestart().getMaxBackoff()).isEqualTo(Duration.ofSeconds(30));
		assertThat(kv.getRestart().getMultiplier()).isEqualTo(2.0);
		assertThat(kv.getRestart().getMaxRestarts()).isEqualTo(10);
		assertThat(kv.getRestart().getCallWait()).isZero();
		assertThat(kv.getTransport().getMinPort()).isEqualTo(10000);
		assertThat(kv.getTransport().getMaxPort()).isEqualTo(25000);
		assertThat(bind(Map.of("plugins.kv.reattach.address", "/tmp/kv.sock")).getPlugins()
			.get("kv")
			.getReattach()
			.getNetwork()).isEqualTo(PluginNetwork.UNIX);
	}

	@Test
	void rejectsAnUnknownNetworkAtBinding() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("plugins.kv.reattach.network", "udp")))
			.satisfies((ex) -> assertThat(ex.getProperty().getName()).hasToString("plugins.kv.reattach.network"));
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> new Binder(new MapConfigurationPropertySource(Map.of("plugin-server.network", "udp")))
				.bind(PluginServerProperties.PREFIX, PluginServerProperties.class));
	}

	@Test
	void bindsThePluginServersNetworkInAnyCase() {
		PluginServerProperties properties = new Binder(
				new MapConfigurationPropertySource(Map.of("plugin-server.network", "TCP")))
			.bind(PluginServerProperties.PREFIX, PluginServerProperties.class)
			.get();
		assertThat(properties.getNetwork()).isEqualTo(PluginNetwork.TCP);
		assertThat(properties.getNetwork().value()).isEqualTo("tcp");
	}

	private static PluginsProperties bind(Map<String, Object> source) {
		return new Binder(new MapConfigurationPropertySource(source)).bindOrCreate("",
				Bindable.of(PluginsProperties.class));
	}

}
