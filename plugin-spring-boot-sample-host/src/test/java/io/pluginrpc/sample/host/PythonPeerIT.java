package io.pluginrpc.sample.host;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import io.pluginrpc.core.tls.AutoMtlsCertificate;
import io.pluginrpc.core.tls.TlsIdentity;
import io.pluginrpc.core.transport.Transports;
import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginClientConfig;
import io.pluginrpc.host.PluginState;
import io.pluginrpc.sample.plugin.InteropPeers;
import io.pluginrpc.sample.proto.AddHelperGrpc;
import io.pluginrpc.sample.proto.CounterGetRequest;
import io.pluginrpc.sample.proto.CounterGrpc;
import io.pluginrpc.sample.proto.CounterPutRequest;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.KVGrpc;
import io.pluginrpc.sample.proto.PutRequest;
import io.pluginrpc.sample.proto.SumRequest;
import io.pluginrpc.sample.proto.SumResponse;
import io.pluginrpc.testing.Processes;
import io.pluginrpc.testing.TestHost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Java host against a second non-Java implementation of each feature: Python plugins
 * written the go-plugin way ({@code interop/python}, grpcio and cryptography), with
 * AutoMTLS (the host's certificate in PLUGIN_CLIENT_CERT, the plugin's own P-521
 * certificate in its handshake line, mutual TLS), broker callbacks into the host
 * (go-plugin's bidirectional Counter example) and GRPCStdio.
 */
class PythonPeerIT {

	private final List<PluginClient> clients = new ArrayList<>();

	private final List<Long> pids = new ArrayList<>();

	private final List<Runnable> cleanups = new ArrayList<>();

	@AfterEach
	void stopAndCheckNothingIsLeft() throws InterruptedException {
		this.clients.forEach(PluginClient::stop);
		this.cleanups.forEach(Runnable::run);
		for (Long pid : this.pids) {
			Processes.awaitGone(pid, "the Python plugin after stop");
		}
	}

	@ParameterizedTest(name = "AutoMTLS {0}")
	@ValueSource(booleans = { true, false })
	void callsKvAndReceivesWhatThePluginPrintsOverGrpcStdio(boolean autoMtls) throws Exception {
		ListAppender<ILoggingEvent> stdout = capture("plugin.py.stdout");
		ListAppender<ILoggingEvent> stderr = capture("plugin.py.stderr");
		PluginClient client = start("kv_plugin.py", autoMtls);
		assertThat(client.getHandshake().network()).isEqualTo("tcp");
		assertThat(client.getHandshake().serverCertificate() != null).as("a certificate in the handshake line")
			.isEqualTo(autoMtls);
		KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(client.channel()).withDeadlineAfter(30, TimeUnit.SECONDS);
		kv.put(PutRequest.newBuilder().setKey("hello").setValue(ByteString.copyFromUtf8("world")).build());
		assertThat(kv.get(GetRequest.newBuilder().setKey("hello").build()).getValue().toStringUtf8())
			.isEqualTo("world");
		assertThat(kv.get(GetRequest.newBuilder().setKey("missing").build()).getValue().isEmpty()).isTrue();

		// The plugin prints on its stdout and stderr after the handshake: both arrive
		// over GRPCStdio, logged
		// at INFO on the .stdout and .stderr loggers (raw stdout would be DEBUG, raw
		// stderr on 'plugin.py').
		awaitLine(stdout, "put hello");
		awaitLine(stderr, "stored hello");
	}

	@Test
	void autoMtlsCertificateIsP521MadeOutToLocalhost() throws Exception {
		PluginClient client = start("kv_plugin.py", true);
		X509Certificate certificate = client.getHandshake().certificate();
		assertThat(certificate.getPublicKey()).isInstanceOf(ECPublicKey.class);
		assertThat(((ECPublicKey) certificate.getPublicKey()).getParams().getCurve().getField().getFieldSize())
			.as("P-521")
			.isEqualTo(521);
		assertThat(certificate.getSubjectX500Principal().getName()).contains("CN=localhost");
		assertThat(certificate.getSubjectAlternativeNames().stream().map((name) -> String.valueOf(name.get(1))))
			.as("subject alternative names")
			.contains("localhost");
	}

	@Test
	void autoMtlsRefusesAClientWithoutTheHostsCertificate() throws Exception {
		PluginClient client = start("kv_plugin.py", true);
		// A client that trusts the plugin's certificate but presents one of its own, not
		// the host's.
		TlsIdentity stranger = TlsIdentity.autoMtls(AutoMtlsCertificate.generate(),
				client.getHandshake().certificate());
		ManagedChannel channel = Transports
			.channelBuilder(Transports.socketAddress("tcp", client.getHandshake().address()), stranger)
			.build();
		this.cleanups.add(channel::shutdownNow);
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> KVGrpc.newBlockingStub(channel)
				.withDeadlineAfter(30, TimeUnit.SECONDS)
				.get(GetRequest.newBuilder().setKey("hello").build()))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).as("%s", ex.getStatus())
				.isEqualTo(Status.Code.UNAVAILABLE));
		// The host's own channel, with the certificate the plugin was given, still works.
		assertThat(KVGrpc.newBlockingStub(client.channel())
			.withDeadlineAfter(30, TimeUnit.SECONDS)
			.get(GetRequest.newBuilder().setKey("hello").build())
			.getValue()
			.isEmpty()).isTrue();
	}

	@ParameterizedTest(name = "AutoMTLS {0}")
	@ValueSource(booleans = { true, false })
	void servesCallbacksThroughTheBroker(boolean autoMtls) {
		PluginClient client = start("counter_plugin.py", autoMtls);
		CounterGrpc.CounterBlockingStub counter = CounterGrpc.newBlockingStub(client.channel());
		for (long add : new long[] { 5, 7 }) {
			// One announcement per call, as go-plugin's example does: an announcement
			// serves one dial.
			int id = client.broker().nextId();
			Server adder = client.broker().acceptAndServe(id, new Adder());
			try {
				counter.withDeadlineAfter(60, TimeUnit.SECONDS)
					.put(CounterPutRequest.newBuilder().setAddServer(id).setKey("c").setValue(add).build());
			}
			finally {
				adder.shutdownNow();
			}
		}
		assertThat(counter.withDeadlineAfter(30, TimeUnit.SECONDS)
			.get(CounterGetRequest.newBuilder().setKey("c").build())
			.getValue()).as("5 + 7, added by the host's AddHelper").isEqualTo(12);
	}

	private PluginClient start(String script, boolean autoMtls) {
		Path root = InteropPeers.build();
		List<String> command = List.of("/usr/bin/python3", root.resolve("interop/python/" + script).toString());
		PluginClient client = new PluginClient(
				new PluginClientConfig("py", command, null, Map.of(), "BASIC_PLUGIN", "hello", Set.of(1), autoMtls,
						null, null, Processes.HANG_GUARD, Duration.ofSeconds(2), 10000, 25000, false, null, null),
				TestHost.SHARED);
		this.clients.add(client);
		client.start();
		this.pids.add(client.getPid());
		assertThat(client.getState()).isEqualTo(PluginState.RUNNING);
		assertThat(client.getNegotiatedVersion()).isEqualTo(1);
		return client;
	}

	private ListAppender<ILoggingEvent> capture(String loggerName) {
		Logger logger = (Logger) LoggerFactory.getLogger(loggerName);
		ListAppender<ILoggingEvent> events = new ListAppender<>();
		events.start();
		logger.addAppender(events);
		this.cleanups.add(() -> logger.detachAppender(events));
		return events;
	}

	/** The host's AddHelper, served to the plugin through the broker. */
	private static final class Adder extends AddHelperGrpc.AddHelperImplBase {

		@Override
		public void sum(SumRequest request, StreamObserver<SumResponse> responseObserver) {
			responseObserver.onNext(SumResponse.newBuilder().setR(request.getA() + request.getB()).build());
			responseObserver.onCompleted();
		}

	}

	private static void awaitLine(ListAppender<ILoggingEvent> events, String line) throws InterruptedException {
		long deadline = System.nanoTime() + Processes.HANG_GUARD.toNanos();
		while (events.list.stream()
			.noneMatch((e) -> e.getLevel() == Level.INFO && e.getFormattedMessage().equals(line))) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("'" + line + "' did not arrive over GRPCStdio; logged: "
						+ events.list.stream().map((e) -> e.getLevel() + " " + e.getFormattedMessage()).toList());
			}
			Thread.sleep(20);
		}
	}

}
