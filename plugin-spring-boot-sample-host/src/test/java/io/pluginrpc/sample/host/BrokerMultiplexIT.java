package io.pluginrpc.sample.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.pluginrpc.core.broker.GrpcBroker;
import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginClientConfig;
import io.pluginrpc.host.PluginStartException;
import io.pluginrpc.host.PluginState;
import io.pluginrpc.sample.plugin.InteropPeers;
import io.pluginrpc.sample.proto.CounterGetRequest;
import io.pluginrpc.sample.proto.CounterGrpc;
import io.pluginrpc.sample.proto.CounterPutRequest;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.KVGrpc;
import io.pluginrpc.sample.proto.PutRequest;
import io.pluginrpc.testing.TestHost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Java host with {@code grpc-broker-multiplex} (go-plugin 1.6's {@code GRPCBrokerMultiplex}) loads go-plugin
 * 1.6.3 Go plugins and the Java sample plugin: every connection, the Counter's callback to the host's AddHelper
 * included, rides on one yamux session; a plugin without the feature (go-plugin 1.0.1) is refused at start with
 * go-plugin's reason; nothing is left behind after stop.
 */
class BrokerMultiplexIT {

	private final List<PluginClient> clients = new ArrayList<>();

	private final List<Long> pids = new ArrayList<>();

	@AfterEach
	void stopAndCheckNothingIsLeft() {
		this.clients.forEach(PluginClient::stop);
		for (Long pid : this.pids) {
			ProcessHandle.of(pid).ifPresent((process) -> {
				// A bound against a hang only.
				process.onExit().orTimeout(60, TimeUnit.SECONDS).exceptionally((ex) -> null).join();
				assertThat(process.isAlive()).as("plugin process %d left behind", pid).isFalse();
			});
		}
	}

	@ParameterizedTest(name = "{0} plugin, AutoMTLS {1}")
	@CsvSource({ "go-1.6.3, true", "go-1.6.3, false", "java, true", "java, false" })
	void callsBackThroughTheMultiplexedBroker(String kind, boolean autoMtls) {
		List<String> command = kind.equals("java") ? javaPlugin("counter") : List.of(goPlugin("go-counter-plugin"));
		PluginClient client = start("counter", command, autoMtls);
		assertThat(client.getHandshake().multiplex()).isTrue();
		assertThat(client.broker()).isInstanceOfSatisfying(GrpcBroker.class,
				(broker) -> assertThat(broker.isMultiplexed()).isTrue());
		CounterGrpc.CounterBlockingStub counter = CounterGrpc.newBlockingStub(client.channel());
		for (long add : new long[] { 5, 7, 30 }) {
			int id = client.broker().nextId();
			Server adder = client.broker().acceptAndServe(id, new JavaHostInteropIT.Adder());
			try {
				counter.withDeadlineAfter(30, TimeUnit.SECONDS)
					.put(CounterPutRequest.newBuilder().setAddServer(id).setKey("c").setValue(add).build());
			}
			finally {
				adder.shutdownNow();
			}
		}
		assertThat(counter.withDeadlineAfter(30, TimeUnit.SECONDS)
			.get(CounterGetRequest.newBuilder().setKey("c").build())
			.getValue()).isEqualTo(42);
		stopAndCheckCleanedUp(client);
	}

	@ParameterizedTest(name = "{0} plugin, AutoMTLS {1}")
	@CsvSource({ "go-1.6.3, true", "java, false" })
	void carriesLargeMessagesOverTheSession(String kind, boolean autoMtls) {
		List<String> command = kind.equals("java") ? javaPlugin() : List.of(goPlugin("go-kv-plugin"));
		PluginClient client = start("kv", command, autoMtls);
		KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(client.channel()).withDeadlineAfter(60, TimeUnit.SECONDS);
		byte[] big = new byte[3 << 20];
		for (int i = 0; i < big.length; i++) {
			big[i] = (byte) (i * 31);
		}
		kv.put(PutRequest.newBuilder().setKey("big").setValue(ByteString.copyFrom(big)).build());
		assertThat(kv.get(GetRequest.newBuilder().setKey("big").build()).getValue().toByteArray()).isEqualTo(big);
		stopAndCheckCleanedUp(client);
	}

	@Test
	void refusesAPluginWithoutTheFeatureLikeGoPlugin() {
		PluginClient client = new PluginClient(config("kv",
				List.of(InteropPeers.build().resolve("interop/build/bin/go-kv-plugin").toString()), false), TestHost.SHARED);
		this.clients.add(client);
		assertThatExceptionOfType(PluginStartException.class).isThrownBy(client::start)
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(PluginStartException.Reason.HANDSHAKE))
			.withMessageStartingWith("Plugin 'kv': ")
			.withMessageContaining("the host requested gRPC broker multiplexing (grpc-broker-multiplex), but the plugin"
					+ " does not support the feature: its handshake line has no 7th field");
		assertThat(client.getState()).isEqualTo(PluginState.FAILED);
	}

	private PluginClient start(String name, List<String> command, boolean autoMtls) {
		PluginClient client = new PluginClient(config(name, command, autoMtls), TestHost.SHARED);
		this.clients.add(client);
		client.start();
		assertThat(client.getState()).isEqualTo(PluginState.RUNNING);
		this.pids.add(client.getPid());
		return client;
	}

	private static PluginClientConfig config(String name, List<String> command, boolean autoMtls) {
		return new PluginClientConfig(name, command, null, Map.of(), "BASIC_PLUGIN", "hello", Set.of(1), autoMtls, null,
				null, Duration.ofSeconds(180), Duration.ofSeconds(2), 10000, 25000, false, null, null)
			.withGrpcBrokerMultiplex(true);
	}

	private void stopAndCheckCleanedUp(PluginClient client) {
		String address = client.getHandshake().address();
		String network = client.getHandshake().network();
		client.stop();
		assertThat(client.getState()).isEqualTo(PluginState.STOPPED);
		if (network.equals("unix")) {
			assertThat(Path.of(address)).doesNotExist();
			Path directory = Path.of(address).getParent();
			if (directory.getFileName().toString().startsWith("plugin")) {
				assertThat(Files.exists(directory)).as("socket directory %s left behind", directory).isFalse();
			}
		}
	}

	/** A Go plugin built against go-plugin v1.6.3 by interop/build.sh. */
	private static String goPlugin(String name) {
		Path binary = InteropPeers.build().resolve("interop/build/bin/1.6.3/" + name);
		assertThat(binary).as("interop/build.sh builds the go-plugin 1.6.3 peers").isExecutable();
		return binary.toString();
	}

	private static List<String> javaPlugin(String... args) {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-jar", InteropPeers.samplePluginJar().toString()));
		command.addAll(List.of(args));
		return command;
	}

}
