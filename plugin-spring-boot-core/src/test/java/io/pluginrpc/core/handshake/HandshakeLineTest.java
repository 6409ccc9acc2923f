package io.pluginrpc.core.handshake;

import java.util.Base64;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.pluginrpc.core.tls.AutoMtlsCertificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class HandshakeLineTest {

	private static final Set<Integer> OFFERED = Set.of(1, 2);

	@Test
	void formatsSixFieldsWithAnEmptyCertificateLikeGo() {
		HandshakeLine line = new HandshakeLine(1, 2, "unix", "/tmp/plugin1/plugin.sock", "grpc", null, null);
		assertThat(line.format()).isEqualTo("1|2|unix|/tmp/plugin1/plugin.sock|grpc|\n");
	}

	@Test
	void formatsTheCertificateAsUnpaddedStandardBase64() {
		byte[] der = AutoMtlsCertificate.generate().der();
		String formatted = new HandshakeLine(1, 1, "tcp", "127.0.0.1:10000", "grpc", der, null).format();
		String field = formatted.strip().split("\\|", -1)[5];
		assertThat(field).doesNotContain("=").doesNotContain("-").doesNotContain("_");
		assertThat(Base64.getDecoder().decode(field)).isEqualTo(der);
	}

	@Test
	void addsTheMultiplexFieldOnlyWhenSet() {
		assertThat(new HandshakeLine(1, 1, "unix", "/s", "grpc", null, false).format())
			.isEqualTo("1|1|unix|/s|grpc||false\n");
	}

	@Test
	void readsTheMultiplexFieldAsAGoBoolean() throws Exception {
		assertThat(HandshakeLine.parse("kv", "1|1|unix|/s|grpc||true", OFFERED).multiplex()).isTrue();
		assertThat(HandshakeLine.parse("kv", "1|1|unix|/s|grpc||T", OFFERED).multiplex()).isTrue();
		assertThat(HandshakeLine.parse("kv", "1|1|unix|/s|grpc||0", OFFERED).multiplex()).isFalse();
		assertThat(HandshakeLine.parse("kv", "1|1|unix|/s|grpc||yes", OFFERED).multiplex()).isNull();
		assertThat(HandshakeLine.parse("kv", "1|1|unix|/s|grpc|", OFFERED).multiplex()).isNull();
	}

	@Test
	void aHostThatRequestedMultiplexingAcceptsTrue() throws Exception {
		HandshakeLine parsed = HandshakeLine.parse("kv", "1|1|unix|/s|grpc||true\n", OFFERED, true);
		assertThat(parsed.multiplex()).isTrue();
		assertThat(parsed.address()).isEqualTo("/s");
	}

	@ParameterizedTest
	@CsvSource(delimiter = ';', value = {
			"1|1|unix|/s|grpc|; has no 7th field (a Go plugin needs go-plugin 1.6 or newer",
			"1|1|unix|/s|grpc||false; answered 'false' in field 7 of its handshake: it does not support the feature",
			"1|1|unix|/s|grpc||maybe; expected 'true' or 'false' in field 7 of the handshake line (gRPC broker multiplexing support), but got 'maybe'" })
	void aHostThatRequestedMultiplexingRefusesAnythingButTrue(String line, String message) {
		assertThatExceptionOfType(HandshakeException.class)
			.isThrownBy(() -> HandshakeLine.parse("kv", line, OFFERED, true))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(HandshakeException.Reason.MULTIPLEX))
			.withMessageStartingWith("Plugin 'kv': ")
			.withMessageContaining(message);
	}

	@Test
	void formatsTheMultiplexAnswerAsGoDoes() {
		assertThat(new HandshakeLine(1, 1, "unix", "/s", "grpc", null, true).format())
			.isEqualTo("1|1|unix|/s|grpc||true\n");
	}

	@Test
	void parsesWhatItFormats() throws Exception {
		byte[] der = AutoMtlsCertificate.generate().der();
		HandshakeLine original = new HandshakeLine(1, 2, "unix", "/tmp/x/plugin.sock", "grpc", der, null);
		HandshakeLine parsed = HandshakeLine.parse("kv", original.format(), OFFERED);
		assertThat(parsed.appVersion()).isEqualTo(2);
		assertThat(parsed.network()).isEqualTo("unix");
		assertThat(parsed.address()).isEqualTo("/tmp/x/plugin.sock");
		assertThat(parsed.serverCertificate()).isEqualTo(der);
		assertThat(parsed.certificate().getSubjectX500Principal().getName()).contains("CN=localhost");
	}

	@Test
	void acceptsAPaddedCertificateFromNonGoPeers() throws Exception {
		byte[] der = AutoMtlsCertificate.generate().der();
		String padded = Base64.getEncoder().encodeToString(der);
		assertThat(HandshakeLine.parse("kv", "1|1|unix|/s|grpc|" + padded, OFFERED).serverCertificate()).isEqualTo(der);
	}

	@ParameterizedTest
	@CsvSource(delimiter = ';',
			value = { "1|1|tcp|127.0.0.1:1234|grpc; tcp; 127.0.0.1:1234",
					"1|1|unix|/tmp/plugin9|grpc|; unix; /tmp/plugin9",
					"1|1|unix|/tmp/p|grpc|short-extra-data; unix; /tmp/p", "1|1|unix|/tmp/p|grpc||true; unix; /tmp/p" })
	void isLiberalWhereItIsSafe(String line, String network, String address) throws Exception {
		HandshakeLine parsed = HandshakeLine.parse("kv", line, OFFERED);
		assertThat(parsed.network()).isEqualTo(network);
		assertThat(parsed.address()).isEqualTo(address);
		assertThat(parsed.serverCertificate()).isNull();
	}

	@Test
	void toleratesSurroundingWhitespaceAndCrlf() throws Exception {
		assertThat(HandshakeLine.parse("kv", "  1|1|unix|/tmp/p|grpc|\r\n", OFFERED).address()).isEqualTo("/tmp/p");
	}

	@ParameterizedTest
	@CsvSource(delimiter = ';', value = {
			"garbage; UNRECOGNIZED; expected a handshake line like '1|1|unix|/tmp/plugin.sock|grpc|' as the first line on stdout, but got 'garbage'",
			"; UNRECOGNIZED; but got ''",
			"x|1|unix|/s|grpc; UNRECOGNIZED; expected the core protocol version as a number, but got 'x'",
			"2|1|unix|/s|grpc; CORE_VERSION; the plugin speaks 2, this host speaks 1",
			"1|7|unix|/s|grpc; APP_VERSION; the plugin chose protocol version 7, but this host offered only [1, 2]",
			"1|1|udp|/s|grpc; NETWORK; unknown network 'udp' for address '/s'",
			"1|1|unix||grpc; NETWORK; names no address", "1|1|unix|/s; PROTOCOL; unsupported plugin protocol 'netrpc'",
			"1|1|unix|/s|netrpc; PROTOCOL; unsupported plugin protocol 'netrpc'",
			"1|1|unix|/s|grpc|!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!; CERTIFICATE; it is not base64",
			"1|1|unix|/s|grpc|QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB; CERTIFICATE; could not be parsed" })
	void rejectsWithAMessageNamingThePluginWhatWasExpectedAndWhatArrived(String line, HandshakeException.Reason reason,
			String detail) {
		assertThatExceptionOfType(HandshakeException.class)
			.isThrownBy(() -> HandshakeLine.parse("kv", (line != null) ? line : "", OFFERED))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(reason))
			.withMessageStartingWith("Plugin 'kv': ")
			.withMessageContaining(detail);
	}

	@Test
	void echoesHostileInputShortAndWithoutControlCharacters() {
		String hostile = "\u001b[31m" + "A".repeat(5000);
		assertThatExceptionOfType(HandshakeException.class)
			.isThrownBy(() -> HandshakeLine.parse("kv", hostile, OFFERED))
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("\u001b").hasSizeLessThan(600));
	}

}
