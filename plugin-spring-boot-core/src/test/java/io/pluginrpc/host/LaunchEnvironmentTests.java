package io.pluginrpc.host;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.pluginrpc.core.Platform;
import io.pluginrpc.core.transport.SocketDirectory;

import static org.assertj.core.api.Assertions.assertThat;

class LaunchEnvironmentTests {

	private static final Map<String, String> HOST = Map.of("HOME", "/home/app", "PATH", "/usr/bin", "HTTPS_PROXY",
			"http://proxy:3128", "PLUGIN_PROTOCOL_VERSIONS", "9", "PLUGIN_CLIENT_CERT", "host's own", "MY_HOST_COOKIE",
			"secret");

	private final SocketDirectory sockets = SocketDirectory.create(null, null);

	@AfterEach
	void close() {
		this.sockets.close();
	}

	@Test
	void aPluginInheritsTheHostsEnvironmentButNoneOfItsPluginVariables() {
		Map<String, String> env = LaunchEnvironment.of(config(false, Map.of("EXTRA", "1")), HOST, null, this.sockets);
		assertThat(env).containsEntry("HOME", "/home/app")
			.containsEntry("PATH", "/usr/bin")
			.containsEntry("HTTPS_PROXY", "http://proxy:3128")
			.containsEntry("EXTRA", "1")
			.containsEntry("BASIC_PLUGIN", "hello")
			.containsEntry("PLUGIN_PROTOCOL_VERSIONS", "1,2")
			.containsEntry("PLUGIN_MIN_PORT", "10000")
			.containsEntry("PLUGIN_MAX_PORT", "25000")
			.containsEntry("PLUGIN_UNIX_SOCKET_DIR", this.sockets.path().toString())
			.doesNotContainKey("PLUGIN_CLIENT_CERT")
			.doesNotContainKey("MY_HOST_COOKIE");
	}

	@Test
	void skipHostEnvStartsFromTheConfiguredVariablesAlone() {
		Map<String, String> env = LaunchEnvironment.of(config(true, Map.of("PATH", "/opt/bin", "PLUGIN_MIN_PORT", "1")),
				HOST, null, this.sockets);
		assertThat(env).containsOnlyKeys("PATH", "BASIC_PLUGIN", "PLUGIN_PROTOCOL_VERSIONS", "PLUGIN_MIN_PORT",
				"PLUGIN_MAX_PORT", "PLUGIN_UNIX_SOCKET_DIR");
		assertThat(env).containsEntry("PATH", "/opt/bin").containsEntry("PLUGIN_MIN_PORT", "10000");
	}

	@Test
	void aPortableHostMakesItsPluginsPortableEvenWithSkipHostEnv() {
		System.setProperty(Platform.PORTABLE_PROPERTY, "true");
		try {
			Map<String, String> env = LaunchEnvironment.of(config(true, Map.of()), HOST, null, this.sockets);
			assertThat(env).containsEntry(Platform.PORTABLE_ENV, "true");
		}
		finally {
			System.clearProperty(Platform.PORTABLE_PROPERTY);
		}
		assertThat(LaunchEnvironment.of(config(true, Map.of()), HOST, null, this.sockets))
			.doesNotContainKey(Platform.PORTABLE_ENV);
	}

	@Test
	void configuredVariablesOverrideInheritedOnes() {
		Map<String, String> env = LaunchEnvironment.of(config(false, Map.of("HOME", "/srv/plugin")), HOST, null,
				this.sockets);
		assertThat(env).containsEntry("HOME", "/srv/plugin");
	}

	@Test
	void brokerMultiplexingIsRequestedOnlyWhenConfigured() {
		assertThat(LaunchEnvironment.of(config(false, Map.of()), HOST, null, this.sockets))
			.doesNotContainKey("PLUGIN_MULTIPLEX_GRPC");
		assertThat(
				LaunchEnvironment.of(config(false, Map.of("PLUGIN_MULTIPLEX_GRPC", "true")), HOST, null, this.sockets))
			.as("only the host's own choice sets a protocol variable")
			.doesNotContainKey("PLUGIN_MULTIPLEX_GRPC");
		assertThat(
				LaunchEnvironment.of(config(false, Map.of()).withGrpcBrokerMultiplex(true), HOST, null, this.sockets))
			.containsEntry("PLUGIN_MULTIPLEX_GRPC", "true");
	}

	private static PluginClientConfig config(boolean skipHostEnv, Map<String, String> env) {
		return new PluginClientConfig("env", List.of("plugin"), null, env, "BASIC_PLUGIN", "hello", Set.of(2, 1), false,
				null, null, Duration.ofSeconds(5), Duration.ofSeconds(2), 10000, 25000, false, null, null, skipHostEnv,
				Set.of("MY_HOST_COOKIE"));
	}

}
