package io.pluginrpc.autoconfigure;

import java.util.Locale;

/**
 * The networks of go-plugin's handshake line: what {@code plugin-server.network} and
 * {@code plugins.<name>.reattach.network} accept ({@code unix} or {@code tcp}, in any
 * case).
 */
public enum PluginNetwork {

	/** A Unix domain socket. */
	UNIX,

	/** Loopback TCP. */
	TCP;

	/**
	 * @return the name on the wire: {@code unix} or {@code tcp}
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

}
