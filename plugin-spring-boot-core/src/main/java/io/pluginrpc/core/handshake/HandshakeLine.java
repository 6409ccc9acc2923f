package io.pluginrpc.core.handshake;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one line a plugin prints on stdout to tell its host where and how to connect (spec
 * section 2): {@code CORE|APPVER|NETWORK|ADDRESS|PROTOCOL|SERVERCERT[|MUX]}.
 *
 * @param coreVersion go-plugin core protocol version, always
 * {@value #CORE_PROTOCOL_VERSION}
 * @param appVersion negotiated application protocol version
 * @param network {@code unix} or {@code tcp}
 * @param address socket path or {@code host:port}
 * @param protocol {@code grpc} (the only protocol we speak) or {@code netrpc}
 * @param serverCertificate DER of the plugin's AutoMTLS certificate, or {@code null}
 * without AutoMTLS
 * @param multiplex field 7 (go-plugin >= 1.6 sends it when the host set
 * {@code PLUGIN_MULTIPLEX_GRPC}: whether the plugin supports gRPC broker multiplexing),
 * or {@code null} when absent or not a boolean
 */
public record HandshakeLine(int coreVersion, int appVersion, String network, String address, String protocol,
		byte[] serverCertificate, Boolean multiplex) {

	/** go-plugin's core protocol version, unchanged since 2016. */
	public static final int CORE_PROTOCOL_VERSION = 1;

	/** The only RPC protocol this implementation speaks. */
	public static final String PROTOCOL_GRPC = "grpc";

	/** Shorter field 6 values are legacy "extra" data, ignored by Go hosts; so do we. */
	private static final int MIN_CERTIFICATE_FIELD_LENGTH = 51;

	private static final int MAX_ECHOED_LINE = 200;

	/**
	 * Formats the line as a Go plugin does: six fields always (an empty sixth without
	 * AutoMTLS), the certificate as unpadded standard base64 of the DER, a seventh field
	 * only when {@link #multiplex()} is set, and a trailing {@code \n}.
	 * @return the line, newline included
	 */
	public String format() {
		StringBuilder line = new StringBuilder(128).append(this.coreVersion)
			.append('|')
			.append(this.appVersion)
			.append('|')
			.append(this.network)
			.append('|')
			.append(this.address)
			.append('|')
			.append(this.protocol)
			.append('|');
		if (this.serverCertificate != null) {
			line.append(Base64.getEncoder().withoutPadding().encodeToString(this.serverCertificate));
		}
		if (this.multiplex != null) {
			line.append('|').append(this.multiplex);
		}
		return line.append('\n').toString();
	}

	/**
	 * Parses a handshake line as a host, liberally where it is safe (4 to 7+ fields,
	 * padded or unpadded base64 in field 6) and strictly where the protocol demands it.
	 * @param pluginName name of the plugin, for error messages
	 * @param rawLine the first line the plugin printed
	 * @param offeredVersions the application protocol versions the host offered
	 * @return the parsed line
	 * @throws HandshakeException with a message naming the plugin, what was expected and
	 * what arrived
	 */
	public static HandshakeLine parse(String pluginName, String rawLine, Set<Integer> offeredVersions)
			throws HandshakeException {
		return parse(pluginName, rawLine, offeredVersions, false);
	}

	/**
	 * Parses a handshake line as a host that may have asked for gRPC broker multiplexing.
	 * @param pluginName name of the plugin, for error messages
	 * @param rawLine the first line the plugin printed
	 * @param offeredVersions the application protocol versions the host offered
	 * @param multiplexRequested whether the host set {@code PLUGIN_MULTIPLEX_GRPC=true}:
	 * then field 7 must be present and a true boolean, as go-plugin's host requires
	 * @return the parsed line
	 * @throws HandshakeException with a message naming the plugin, what was expected and
	 * what arrived
	 */
	public static HandshakeLine parse(String pluginName, String rawLine, Set<Integer> offeredVersions,
			boolean multiplexRequested) throws HandshakeException {
		String line = (rawLine != null) ? rawLine.strip() : "";
		String[] parts = line.split("\\|", -1);
		if (parts.length < 4) {
			throw HandshakeException.unrecognized(pluginName,
					"expected a handshake line like '1|1|unix|/tmp/plugin.sock|grpc|' as the first line on stdout, but got '"
							+ echo(line)
							+ "'. Nothing but the handshake may be printed on the plugin's stdout before it",
					line);
		}
		int core = parseInt(pluginName, parts[0], "core protocol version");
		if (core != CORE_PROTOCOL_VERSION) {
			throw new HandshakeException(HandshakeException.Reason.CORE_VERSION, pluginName,
					"incompatible core protocol version: the plugin speaks " + core + ", this host speaks "
							+ CORE_PROTOCOL_VERSION + "; the plugin usually needs to be rebuilt");
		}
		int app = parseInt(pluginName, parts[1], "application protocol version");
		if (!offeredVersions.contains(app)) {
			throw HandshakeException.versionMismatch(pluginName, "the plugin chose protocol version " + app
					+ ", but this host offered only " + new TreeSet<>(offeredVersions), app, offeredVersions);
		}
		String network = parts[2];
		if (!network.equals("unix") && !network.equals("tcp")) {
			throw new HandshakeException(HandshakeException.Reason.NETWORK, pluginName, "unknown network '"
					+ echo(network) + "' for address '" + echo(parts[3]) + "'; expected 'unix' or 'tcp'");
		}
		String address = parts[3];
		if (address.isEmpty()) {
			throw new HandshakeException(HandshakeException.Reason.NETWORK, pluginName,
					"the handshake line names no address: '" + echo(line) + "'");
		}
		String protocol = (parts.length > 4) ? parts[4] : "netrpc";
		if (!PROTOCOL_GRPC.equals(protocol)) {
			throw new HandshakeException(HandshakeException.Reason.PROTOCOL, pluginName,
					"unsupported plugin protocol '" + echo(protocol) + "'; this host supports only [grpc]");
		}
		byte[] certificate = null;
		if (parts.length > 5 && parts[5].length() >= MIN_CERTIFICATE_FIELD_LENGTH) {
			certificate = decodeCertificate(pluginName, parts[5]);
		}
		Boolean multiplex = (parts.length > 6) ? parseGoBool(parts[6]) : null;
		if (multiplexRequested) {
			requireMultiplex(pluginName, parts, multiplex);
		}
		return new HandshakeLine(core, app, network, address, protocol, certificate, multiplex);
	}

	private static void requireMultiplex(String pluginName, String[] parts, Boolean multiplex)
			throws HandshakeException {
		if (parts.length <= 6) {
			throw new HandshakeException(HandshakeException.Reason.MULTIPLEX, pluginName,
					"the host requested gRPC broker multiplexing (grpc-broker-multiplex), but the plugin does not support"
							+ " the feature: its handshake line has no 7th field (a Go plugin needs go-plugin 1.6 or newer;"
							+ " or turn grpc-broker-multiplex off)");
		}
		if (multiplex == null) {
			throw new HandshakeException(HandshakeException.Reason.MULTIPLEX, pluginName,
					"expected 'true' or 'false' in field 7 of the handshake line (gRPC broker multiplexing support), but got '"
							+ echo(parts[6]) + "'");
		}
		if (!multiplex) {
			throw new HandshakeException(HandshakeException.Reason.MULTIPLEX, pluginName,
					"the host requested gRPC broker multiplexing (grpc-broker-multiplex), but the plugin answered '"
							+ echo(parts[6]) + "' in field 7 of its handshake: it does not support the feature");
		}
	}

	/**
	 * Parses a boolean the way Go's {@code strconv.ParseBool} does, as go-plugin reads
	 * field 7 and {@code PLUGIN_MULTIPLEX_GRPC}.
	 * @param value the text, may be {@code null}
	 * @return the value, or {@code null} when it is no Go boolean
	 */
	public static Boolean parseGoBool(String value) {
		if (value == null) {
			return null;
		}
		return switch (value) {
			case "1", "t", "T", "TRUE", "true", "True" -> Boolean.TRUE;
			case "0", "f", "F", "FALSE", "false", "False" -> Boolean.FALSE;
			default -> null;
		};
	}

	/**
	 * Parses the plugin's DER certificate from handshake field 6.
	 * @return the certificate, or {@code null} when the line carried none
	 * @throws HandshakeException if the DER is not an X.509 certificate (cannot happen
	 * for a parsed line)
	 */
	public X509Certificate certificate() throws HandshakeException {
		if (this.serverCertificate == null) {
			return null;
		}
		return toCertificate(null, this.serverCertificate);
	}

	private static byte[] decodeCertificate(String pluginName, String field) throws HandshakeException {
		byte[] der;
		try {
			// The basic decoder accepts unpadded input (what Go sends) and padded input
			// (what some non-Go
			// peers send), so both work.
			der = Base64.getDecoder().decode(field);
		}
		catch (IllegalArgumentException ex) {
			throw new HandshakeException(HandshakeException.Reason.CERTIFICATE, pluginName,
					"field 6 of the handshake line should be the plugin's certificate as base64 DER, but it is not base64 ("
							+ ex.getMessage() + ")");
		}
		toCertificate(pluginName, der);
		return der;
	}

	private static X509Certificate toCertificate(String pluginName, byte[] der) throws HandshakeException {
		try {
			return (X509Certificate) CertificateFactory.getInstance("X.509")
				.generateCertificate(new ByteArrayInputStream(der));
		}
		catch (CertificateException | RuntimeException ex) {
			throw new HandshakeException(HandshakeException.Reason.CERTIFICATE, pluginName,
					"field 6 of the handshake line should be the plugin's X.509 certificate, but it could not be parsed ("
							+ ex.getMessage() + ")");
		}
	}

	private static int parseInt(String pluginName, String value, String what) throws HandshakeException {
		try {
			return Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			throw new HandshakeException(HandshakeException.Reason.UNRECOGNIZED, pluginName,
					"expected the " + what + " as a number, but got '" + echo(value) + "'");
		}
	}

	/** Shortens and de-controls untrusted text before it goes into an error message. */
	static String echo(String text) {
		StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_ECHOED_LINE) + 16);
		for (int i = 0; i < text.length() && out.length() < MAX_ECHOED_LINE; i++) {
			char c = text.charAt(i);
			out.append((c < 0x20 || c == 0x7f) ? '?' : c);
		}
		if (text.length() > MAX_ECHOED_LINE) {
			out.append("…(").append(text.length()).append(" chars)");
		}
		return out.toString();
	}

}
