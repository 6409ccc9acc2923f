package io.pluginrpc.host;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.pluginrpc.core.Platform;
import io.pluginrpc.core.PluginEnvironment;
import io.pluginrpc.core.tls.AutoMtlsCertificate;
import io.pluginrpc.core.transport.SocketDirectory;

/**
 * The environment a launched plugin gets, as go-plugin builds it: the host's own
 * environment (unless {@code skip-host-env}), then the configured variables, then the
 * protocol's. Nothing go-plugin-specific of the host leaks: no inherited or configured
 * {@code PLUGIN_*} variable (a host that is itself a plugin has its own), nor the
 * variables named in {@link PluginClientConfig#hostOnlyVariables()}.
 */
final class LaunchEnvironment {

	private LaunchEnvironment() {
	}

	/**
	 * @param config the plugin's configuration
	 * @param hostEnvironment the host's environment ({@code System.getenv()})
	 * @param own the host's AutoMTLS certificate, or {@code null}
	 * @param sockets the private directory the plugin may put its socket in
	 * @return the child's complete environment
	 */
	static Map<String, String> of(PluginClientConfig config, Map<String, String> hostEnvironment,
			AutoMtlsCertificate own, SocketDirectory sockets) {
		Map<String, String> env = new LinkedHashMap<>();
		if (!config.skipHostEnv()) {
			hostEnvironment.forEach((key, value) -> {
				if (!isProtocolVariable(key) && !config.hostOnlyVariables().contains(key)) {
					env.put(key, value);
				}
			});
		}
		config.environment().forEach((key, value) -> {
			if (!isProtocolVariable(key)) {
				env.put(key, value);
			}
		});
		env.put(config.cookieKey(), config.cookieValue());
		env.put(PluginEnvironment.MIN_PORT, Integer.toString(config.minPort()));
		env.put(PluginEnvironment.MAX_PORT, Integer.toString(config.maxPort()));
		env.put(PluginEnvironment.PROTOCOL_VERSIONS,
				new TreeSet<>(config.versions()).stream().map(String::valueOf).collect(Collectors.joining(",")));
		env.put(PluginEnvironment.UNIX_SOCKET_DIR, sockets.path().toString());
		if (config.socketGroup() != null) {
			env.put(PluginEnvironment.UNIX_SOCKET_GROUP, config.socketGroup());
		}
		if (Platform.isPortable()) {
			// A portable host makes portable plugins (ours read it; others ignore it),
			// even with skip-host-env.
			env.put(Platform.PORTABLE_ENV, "true");
		}
		if (own != null) {
			env.put(PluginEnvironment.CLIENT_CERT, own.pem());
		}
		if (config.grpcBrokerMultiplex()) {
			env.put(PluginEnvironment.MULTIPLEX_GRPC, "true");
		}
		return env;
	}

	private static boolean isProtocolVariable(String key) {
		return key.startsWith(PluginEnvironment.PREFIX);
	}

}
