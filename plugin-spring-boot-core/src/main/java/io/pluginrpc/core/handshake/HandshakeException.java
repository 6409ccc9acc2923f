package io.pluginrpc.core.handshake;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * A handshake that could not be completed, with a message that names the plugin, what was
 * expected and what arrived.
 */
public class HandshakeException extends Exception {

	/**
	 * What went wrong, so callers and failure analyzers can react without parsing
	 * messages.
	 */
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
		/**
		 * The host asked for gRPC broker multiplexing and the plugin did not agree to it
		 * in field 7.
		 */
		MULTIPLEX,
		/** The plugin exited before it printed a handshake line. */
		EXITED,
		/** The plugin printed nothing within the start timeout. */
		TIMEOUT

	}

	private final Reason reason;

	private final String pluginName;

	private final Integer chosenVersion;

	private final Set<Integer> offeredVersions;

	private final String line;

	public HandshakeException(Reason reason, String pluginName, String detail) {
		this(reason, pluginName, detail, null);
	}

	public HandshakeException(Reason reason, String pluginName, String detail, Throwable cause) {
		this(reason, pluginName, detail, cause, null, Set.of(), null);
	}

	private HandshakeException(Reason reason, String pluginName, String detail, Throwable cause, Integer chosenVersion,
			Set<Integer> offeredVersions, String line) {
		super(((pluginName != null) ? "Plugin '" + pluginName + "': " : "") + detail, cause);
		this.reason = reason;
		this.pluginName = pluginName;
		this.chosenVersion = chosenVersion;
		this.offeredVersions = Collections.unmodifiableSet(new TreeSet<>(offeredVersions));
		this.line = line;
	}

	/**
	 * A plugin that chose an application protocol version the host did not offer
	 * ({@link Reason#APP_VERSION}).
	 * @param pluginName the plugin
	 * @param detail the message
	 * @param chosenVersion the version the plugin's line names
	 * @param offeredVersions what the host offered in {@code PLUGIN_PROTOCOL_VERSIONS}
	 * @return the exception
	 */
	public static HandshakeException versionMismatch(String pluginName, String detail, int chosenVersion,
			Set<Integer> offeredVersions) {
		return new HandshakeException(Reason.APP_VERSION, pluginName, detail, null, chosenVersion, offeredVersions,
				null);
	}

	/**
	 * A first stdout line that is not a handshake line ({@link Reason#UNRECOGNIZED}).
	 * @param pluginName the plugin
	 * @param detail the message
	 * @param line the line as it arrived
	 * @return the exception
	 */
	public static HandshakeException unrecognized(String pluginName, String detail, String line) {
		return new HandshakeException(Reason.UNRECOGNIZED, pluginName, detail, null, null, Set.of(), line);
	}

	public Reason getReason() {
		return this.reason;
	}

	public String getPluginName() {
		return this.pluginName;
	}

	/**
	 * @return the version the plugin chose, for {@link Reason#APP_VERSION}; {@code null}
	 * otherwise
	 */
	public Integer getChosenVersion() {
		return this.chosenVersion;
	}

	/**
	 * @return the versions the host offered, for {@link Reason#APP_VERSION}; empty
	 * otherwise
	 */
	public Set<Integer> getOfferedVersions() {
		return this.offeredVersions;
	}

	/**
	 * @return the first stdout line as it arrived, for {@link Reason#UNRECOGNIZED};
	 * {@code null} otherwise
	 */
	public String getLine() {
		return this.line;
	}

}
