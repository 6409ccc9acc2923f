package io.pluginrpc.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.pluginrpc.core.tls.TlsIdentity;

/**
 * How a host launches and talks to one plugin.
 *
 * @param name the plugin's name (bean name, logger {@code plugin.<name>}, error messages)
 * @param command argv of the plugin; the first element is resolved on the host's PATH; no
 * shell
 * @param workingDirectory the child's working directory, or {@code null} for the host's
 * @param environment variables set for the child on top of what it inherits (protocol
 * variables win)
 * @param cookieKey magic cookie variable
 * @param cookieValue magic cookie value
 * @param versions application protocol versions offered
 * @param autoMtls whether to use go-plugin's AutoMTLS
 * @param tls explicit mutual TLS instead of AutoMTLS (trusting the plugin's certificate),
 * or {@code null}
 * @param checksum {@code algorithm:hex} of the executable, or {@code null}
 * @param startTimeout how long the plugin may take to print its handshake and answer a
 * health check
 * @param stopTimeout how long the plugin may take to exit after the Shutdown request
 * @param minPort lowest TCP port the plugin may listen on
 * @param maxPort highest TCP port the plugin may listen on
 * @param lazy whether the plugin starts on its first call instead of with the application
 * @param reattach connect to this running plugin instead of launching {@code command}, or
 * {@code null}
 * @param socketDirectory where the private socket directories are created
 * ({@code $TMPDIR} or {@code /tmp} when {@code null}); it is passed to the plugin as
 * {@code PLUGIN_UNIX_SOCKET_DIR}
 * @param skipHostEnv whether the child starts from an empty environment instead of the
 * host's (go-plugin's {@code SkipHostEnv})
 * @param hostOnlyVariables variables of the host's environment never passed on (besides
 * every {@code PLUGIN_*}), e.g. the host's own magic cookie when it is itself a plugin
 * @param socketGroup group (name or gid) that may reach the plugin's Unix sockets, passed
 * as {@code PLUGIN_UNIX_SOCKET_GROUP} (go-plugin's {@code UnixSocketConfig.Group}), or
 * {@code null}
 * @param grpcBrokerMultiplex whether to ask for go-plugin 1.6's gRPC broker multiplexing
 * ({@code PLUGIN_MULTIPLEX_GRPC=true}) and require it: every connection to the plugin,
 * brokered ones included, then rides on one yamux session over the connection the host
 * dials; not with {@code reattach}, as in go-plugin
 */
public record PluginClientConfig(String name, List<String> command, Path workingDirectory,
		Map<String, String> environment, String cookieKey, String cookieValue, Set<Integer> versions, boolean autoMtls,
		TlsIdentity tls, String checksum, Duration startTimeout, Duration stopTimeout, int minPort, int maxPort,
		boolean lazy, ReattachConfig reattach, Path socketDirectory, boolean skipHostEnv, Set<String> hostOnlyVariables,
		String socketGroup, boolean grpcBrokerMultiplex) {

	public PluginClientConfig {
		command = List.copyOf(command);
		environment = Map.copyOf(environment);
		versions = Set.copyOf(versions);
		hostOnlyVariables = Set.copyOf(hostOnlyVariables);
		if (socketGroup != null && socketGroup.isBlank()) {
			socketGroup = null;
		}
		if (command.isEmpty() && reattach == null) {
			throw new IllegalArgumentException("Plugin '" + name + "': the command is empty");
		}
		if (versions.isEmpty()) {
			throw new IllegalArgumentException("Plugin '" + name + "': no protocol version is configured");
		}
		if (grpcBrokerMultiplex && reattach != null) {
			// go-plugin refuses it too: a plugin someone else started was not asked to
			// multiplex.
			throw new IllegalArgumentException("Plugin '" + name + "': gRPC broker multiplexing (grpc-broker-multiplex)"
					+ " is not supported with reattach");
		}
	}

	/**
	 * A configuration without a socket group and without broker multiplexing.
	 */
	public PluginClientConfig(String name, List<String> command, Path workingDirectory, Map<String, String> environment,
			String cookieKey, String cookieValue, Set<Integer> versions, boolean autoMtls, TlsIdentity tls,
			String checksum, Duration startTimeout, Duration stopTimeout, int minPort, int maxPort, boolean lazy,
			ReattachConfig reattach, Path socketDirectory, boolean skipHostEnv, Set<String> hostOnlyVariables) {
		this(name, command, workingDirectory, environment, cookieKey, cookieValue, versions, autoMtls, tls, checksum,
				startTimeout, stopTimeout, minPort, maxPort, lazy, reattach, socketDirectory, skipHostEnv,
				hostOnlyVariables, null, false);
	}

	/**
	 * A configuration whose child inherits the host's environment (go-plugin's default).
	 */
	public PluginClientConfig(String name, List<String> command, Path workingDirectory, Map<String, String> environment,
			String cookieKey, String cookieValue, Set<Integer> versions, boolean autoMtls, TlsIdentity tls,
			String checksum, Duration startTimeout, Duration stopTimeout, int minPort, int maxPort, boolean lazy,
			ReattachConfig reattach, Path socketDirectory) {
		this(name, command, workingDirectory, environment, cookieKey, cookieValue, versions, autoMtls, tls, checksum,
				startTimeout, stopTimeout, minPort, maxPort, lazy, reattach, socketDirectory, false, Set.of());
	}

	/**
	 * @param skip whether the child starts from an empty environment
	 * @return this configuration with that choice
	 */
	public PluginClientConfig withSkipHostEnv(boolean skip) {
		return new PluginClientConfig(this.name, this.command, this.workingDirectory, this.environment, this.cookieKey,
				this.cookieValue, this.versions, this.autoMtls, this.tls, this.checksum, this.startTimeout,
				this.stopTimeout, this.minPort, this.maxPort, this.lazy, this.reattach, this.socketDirectory, skip,
				this.hostOnlyVariables, this.socketGroup, this.grpcBrokerMultiplex);
	}

	/**
	 * @param group group (name or gid) that may reach the plugin's Unix sockets, or
	 * {@code null}
	 * @return this configuration with that group
	 */
	public PluginClientConfig withSocketGroup(String group) {
		return new PluginClientConfig(this.name, this.command, this.workingDirectory, this.environment, this.cookieKey,
				this.cookieValue, this.versions, this.autoMtls, this.tls, this.checksum, this.startTimeout,
				this.stopTimeout, this.minPort, this.maxPort, this.lazy, this.reattach, this.socketDirectory,
				this.skipHostEnv, this.hostOnlyVariables, group, this.grpcBrokerMultiplex);
	}

	/**
	 * @param multiplex whether to ask for and require gRPC broker multiplexing
	 * @return this configuration with that choice
	 */
	public PluginClientConfig withGrpcBrokerMultiplex(boolean multiplex) {
		return new PluginClientConfig(this.name, this.command, this.workingDirectory, this.environment, this.cookieKey,
				this.cookieValue, this.versions, this.autoMtls, this.tls, this.checksum, this.startTimeout,
				this.stopTimeout, this.minPort, this.maxPort, this.lazy, this.reattach, this.socketDirectory,
				this.skipHostEnv, this.hostOnlyVariables, this.socketGroup, multiplex);
	}

}
