package io.pluginrpc.core.handshake;

/**
 * A handshake that could not be completed, with a message that names the plugin, what was expected
 * and what arrived.
 */
public class HandshakeException extends Exception {

	/** What went wrong, so callers and failure analyzers can react without parsing messages. */
	public enum Reason {

		/** The first stdout line is not a handshake line. */
		UNRECOGNIZED,
		/** The core protocol version is not 1. */
		CORE_VERSION,
		/** The plugin chose an application protocol version the host did not offer. */
		APP_VERSION,
		/** The network is neither unix nor tcp, or the address is missing. */
		NETWORK,
		/** The RPC protocol is not grpc. */
		PROTOCOL,
		/** The certificate in field 6 is unusable, or missing while AutoMTLS is on. */
		CERTIFICATE,
		/** The host asked for gRPC broker multiplexing and the plugin did not agree to it in field 7. */
		MULTIPLEX,
		/** The plugin exited before it printed a handshake line. */
		EXITED,
		/** The plugin printed nothing within the start timeout. */
		TIMEOUT

	}

	private final Reason reason;

	private final String pluginName;

	public HandshakeException(Reason reason, String pluginName, String detail) {
		this(reason, pluginName, detail, null);
	}

	public HandshakeException(Reason reason, String pluginName, String detail, Throwable cause) {
		super(((pluginName != null) ? "Plugin '" + pluginName + "': " : "") + detail, cause);
		this.reason = reason;
		this.pluginName = pluginName;
	}

	public Reason getReason() {
		return this.reason;
	}

	public String getPluginName() {
		return this.pluginName;
	}

}
