package io.pluginrpc.core.handshake;

import java.security.cert.CertificateException;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.lifecycle.AfterContainer;

import io.pluginrpc.core.tls.AutoMtlsCertificate;
import io.pluginrpc.reliability.ReliabilityRecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Thousands of random and mutated handshake lines, version lists and certificates: the
 * parsers answer with a value or a typed, readable error, never an unchecked exception or
 * a hang.
 */
class HandshakeFuzzTest {

	private static final Set<Integer> OFFERED = Set.of(1, 2, 5);

	private static final String VALID_CERT = Base64.getEncoder()
		.withoutPadding()
		.encodeToString(AutoMtlsCertificate.generate().der());

	// Inputs tried and rejected, for RELIABILITY.md.
	private static final AtomicLong randomLines = new AtomicLong();

	private static final AtomicLong mutatedLines = new AtomicLong();

	private static final AtomicLong rejectedLines = new AtomicLong();

	private static final AtomicLong versionLists = new AtomicLong();

	private static final AtomicLong certificates = new AtomicLong();

	private static final AtomicLong rejectedCertificates = new AtomicLong();

	/** Set by a failed try: the figures of a red run are not recorded. */
	private static volatile boolean failed;

	@AfterContainer
	static void record() {
		long[] counts = { randomLines.get(), mutatedLines.get(), versionLists.get(), certificates.get() };
		if (failed || java.util.Arrays.stream(counts).anyMatch((count) -> count == 0)) {
			// A property failed or did not run: nothing to vouch for.
			return;
		}
		ReliabilityRecord.put(HandshakeFuzzTest.class, "handshakeLines.random.inputs", randomLines.get());
		ReliabilityRecord.put(HandshakeFuzzTest.class, "handshakeLines.mutated.inputs", mutatedLines.get());
		ReliabilityRecord.put(HandshakeFuzzTest.class, "handshakeLines.rejectedWithTypedError", rejectedLines.get());
		ReliabilityRecord.put(HandshakeFuzzTest.class, "hostVersionLists.inputs", versionLists.get());
		ReliabilityRecord.put(HandshakeFuzzTest.class, "certificates.inputs", certificates.get());
		ReliabilityRecord.put(HandshakeFuzzTest.class, "certificates.rejectedWithCertificateException",
				rejectedCertificates.get());
	}

	@Property(tries = 3000)
	void randomTextIsParsedOrRejectedCleanly(@ForAll @StringLength(max = 400) String line) {
		randomLines.incrementAndGet();
		noting(() -> assertParsedOrTypedError(line));
	}

	@Property(tries = 3000)
	void mutatedValidLinesAreParsedOrRejectedCleanly(@ForAll("mutatedLines") String line) {
		mutatedLines.incrementAndGet();
		noting(() -> assertParsedOrTypedError(line));
	}

	@Property(tries = 2000)
	void mutatedLinesOfAMultiplexingHostAreParsedOrRejectedCleanly(@ForAll("mutatedLines") String line,
			@ForAll("multiplexFields") String field) {
		mutatedLines.incrementAndGet();
		String withField = line.strip() + field;
		try {
			HandshakeLine parsed = HandshakeLine.parse("fuzz", withField, OFFERED, true);
			assertThat(parsed.multiplex()).isTrue();
		}
		catch (HandshakeException ex) {
			rejectedLines.incrementAndGet();
			assertThat(ex.getMessage()).startsWith("Plugin 'fuzz': ");
			assertThat(ex.getReason()).isNotNull();
		}
	}

	@Provide
	Arbitrary<String> multiplexFields() {
		return Arbitraries.oneOf(Arbitraries.of("", "|true", "|false", "|1", "|t", "|TRUE", "|tRuE", "|", "|true|x"),
				Arbitraries.strings().ofMaxLength(20).map((text) -> "|" + text));
	}

	@Property(tries = 2000)
	void versionListsNeverBreakNegotiation(@ForAll @StringLength(max = 60) String hostVersions) {
		versionLists.incrementAndGet();
		noting(() -> {
			VersionNegotiation.Result result = VersionNegotiation.negotiate(List.of(1, 2, 3), hostVersions,
					(warning) -> {
					});
			assertThat(result.version()).isBetween(1, 3);
			assertThat(result.agreed()).isEqualTo(result.hostVersions().contains(result.version()));
		});
	}

	@Property(tries = 1000)
	void randomPemIsRejectedWithACertificateException(@ForAll("pemLike") String pem) {
		certificates.incrementAndGet();
		noting(() -> {
			try {
				AutoMtlsCertificate.parsePem(pem);
			}
			catch (CertificateException ex) {
				rejectedCertificates.incrementAndGet();
				assertThat(ex.getMessage()).isNotBlank();
				return;
			}
			// Random text between PEM markers is no certificate: accepting it means the
			// parser checks too little.
			fail("Random PEM text parsed as a certificate:%n%s", pem);
		});
	}

	/**
	 * Runs a try's checks, noting a failure so that {@link #record()} records nothing.
	 */
	private static void noting(Runnable checks) {
		try {
			checks.run();
		}
		catch (RuntimeException | Error ex) {
			failed = true;
			throw ex;
		}
	}

	@Provide
	Arbitrary<String> mutatedLines() {
		Arbitrary<String> core = Arbitraries.of("1", "0", "2", "-1", "", "x", "99999999999");
		Arbitrary<String> version = Arbitraries.of("1", "2", "5", "7", "", "-3", "1.0", "2147483648");
		Arbitrary<String> network = Arbitraries.of("unix", "tcp", "udp", "", "UNIX", "unix\u0000");
		Arbitrary<String> address = Arbitraries.of("/tmp/p.sock", "127.0.0.1:10000", "", "[::1]:1", ":", "a|b");
		Arbitrary<String> protocol = Arbitraries.of("grpc", "netrpc", "", "GRPC");
		Arbitrary<String> cert = Arbitraries.oneOf(
				Arbitraries.of("", "short", VALID_CERT, VALID_CERT + "==",
						VALID_CERT.substring(0, VALID_CERT.length() / 2)),
				Arbitraries.strings().ofMinLength(51).ofMaxLength(300));
		Arbitrary<String> line = Combinators.combine(core, version, network, address, protocol, cert)
			.as((c, v, n, a, p, x) -> String.join("|", c, v, n, a, p, x));
		return Combinators.combine(line, Arbitraries.integers().between(0, 6), Arbitraries.chars())
			.as((text, cut, noise) -> mutate(text, cut, noise));
	}

	@Provide
	Arbitrary<String> pemLike() {
		return Arbitraries.strings()
			.ofMaxLength(300)
			.map((body) -> "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n");
	}

	private static String mutate(String line, int how, char noise) {
		return switch (how) {
			case 0 -> line;
			case 1 -> line.substring(0, line.length() / 2);
			case 2 -> line + "|" + noise;
			case 3 -> noise + line;
			case 4 -> line.replace('|', noise);
			case 5 -> line.repeat(3);
			default -> line + "\r\n";
		};
	}

	private static void assertParsedOrTypedError(String line) {
		try {
			HandshakeLine parsed = HandshakeLine.parse("fuzz", line, OFFERED);
			assertThat(OFFERED).contains(parsed.appVersion());
			assertThat(parsed.network()).isIn("unix", "tcp");
			assertThat(parsed.protocol()).isEqualTo("grpc");
		}
		catch (HandshakeException ex) {
			rejectedLines.incrementAndGet();
			assertThat(ex.getMessage()).startsWith("Plugin 'fuzz': ").doesNotContain("\u0000");
			assertThat(ex.getReason()).isNotNull();
		}
	}

}
