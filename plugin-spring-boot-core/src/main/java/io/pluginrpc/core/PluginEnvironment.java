package io.pluginrpc.core;

/**
 * Names of the environment variables of the go-plugin protocol (spec section 1.1). They
 * are wire contracts: a host sets them for the plugin it launches, a plugin reads them at
 * start.
 */
public final class PluginEnvironment {

	/** Lowest TCP port a plugin may listen on. */
	public static final String MIN_PORT = "PLUGIN_MIN_PORT";

	/** Highest TCP port a plugin may listen on. */
	public static final String MAX_PORT = "PLUGIN_MAX_PORT";

	/**
	 * Comma-separated application protocol versions the host supports, e.g. {@code 5,6}.
	 */
	public static final String PROTOCOL_VERSIONS = "PLUGIN_PROTOCOL_VERSIONS";

	/** PEM certificate of the host; its presence turns AutoMTLS on in the plugin. */
	public static final String CLIENT_CERT = "PLUGIN_CLIENT_CERT";

	/** Set by go-plugin >= 1.6 hosts that want broker multiplexing over yamux. */
	public static final String MULTIPLEX_GRPC = "PLUGIN_MULTIPLEX_GRPC";

	/** Directory in which the plugin creates its Unix sockets (go-plugin >= 1.5). */
	public static final String UNIX_SOCKET_DIR = "PLUGIN_UNIX_SOCKET_DIR";

	/**
	 * Group (name or gid) that should own the plugin's Unix sockets (go-plugin >= 1.5).
	 */
	public static final String UNIX_SOCKET_GROUP = "PLUGIN_UNIX_SOCKET_GROUP";

	/**
	 * Prefix shared by every protocol variable; a host never lets inherited ones leak to
	 * a child.
	 */
	public static final String PREFIX = "PLUGIN_";

	/** go-plugin's default port range when the host sets none. */
	public static final int DEFAULT_MIN_PORT = 10000;

	/** go-plugin's default port range when the host sets none. */
	public static final int DEFAULT_MAX_PORT = 25000;

	private PluginEnvironment() {
	}

}
