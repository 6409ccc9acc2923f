package io.pluginrpc.bench.jmh;

import java.util.Base64;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.pluginrpc.core.handshake.HandshakeException;
import io.pluginrpc.core.handshake.HandshakeLine;
import io.pluginrpc.core.tls.AutoMtlsCertificate;
import io.pluginrpc.logging.HclogLine;
import io.pluginrpc.logging.HclogLineParser;

/**
 * The host's per-launch and per-log-line hot paths: parsing a handshake line (with and
 * without the AutoMTLS certificate), parsing an hclog JSON line and a plain one, and
 * generating an AutoMTLS certificate. Run by bench/run.sh; results are average times per
 * operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HotPathBenchmarks {

	private static final Set<Integer> VERSIONS = Set.of(1, 2);

	private final HclogLineParser parser = new HclogLineParser();

	private String plainHandshake;

	private String autoMtlsHandshake;

	private String jsonLog;

	private String plainLog;

	@Setup
	public void setUp() {
		this.plainHandshake = "1|1|unix|/tmp/plugin1234567/plugin.sock|grpc|";
		this.autoMtlsHandshake = "1|2|unix|/tmp/plugin1234567/plugin.sock|grpc|"
				+ Base64.getEncoder().withoutPadding().encodeToString(AutoMtlsCertificate.generate().der());
		this.jsonLog = "{\"@level\":\"debug\",\"@message\":\"stored a value\",\"@module\":\"kv\","
				+ "\"@timestamp\":\"2026-11-23T05:50:01.123456Z\",\"bytes\":5,\"key\":\"bench\"}";
		this.plainLog = "2026-11-23T05:50:01.123Z [DEBUG] kv: stored a value: key=bench bytes=5";
	}

	@Benchmark
	public HandshakeLine parseHandshakeLine() throws HandshakeException {
		return HandshakeLine.parse("bench", this.plainHandshake, VERSIONS);
	}

	@Benchmark
	public Object parseHandshakeLineWithCertificate() throws HandshakeException {
		return HandshakeLine.parse("bench", this.autoMtlsHandshake, VERSIONS).certificate();
	}

	@Benchmark
	public HclogLine parseHclogJsonLine() {
		return this.parser.parse(this.jsonLog);
	}

	@Benchmark
	public HclogLine parsePlainLogLine() {
		return this.parser.parse(this.plainLog);
	}

	@Benchmark
	@OutputTimeUnit(TimeUnit.MILLISECONDS)
	public AutoMtlsCertificate generateAutoMtlsCertificate() {
		return AutoMtlsCertificate.generate();
	}

}
