package io.pluginrpc.sample.host;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.pluginrpc.core.handshake.HandshakeLine;
import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginClientConfig;
import io.pluginrpc.host.PluginStartException;
import io.pluginrpc.host.PluginState;
import io.pluginrpc.host.ReattachConfig;
import io.pluginrpc.sample.plugin.InteropPeers;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.KVGrpc;
import io.pluginrpc.sample.proto.PutRequest;
import io.pluginrpc.testing.TestHost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Reattaching to a plugin someone else started: calls work, and its process is never
 * killed by the host.
 */
class ReattachIT {

	private Process plugin;

	@AfterEach
	void stopPlugin() throws InterruptedException {
		if (this.plugin != null) {
			this.plugin.destroy();
			if (!this.plugin.waitFor(10, TimeUnit.SECONDS)) {
				this.plugin.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

	@Test
	void callsARunningPluginAndLeavesItRunningInTestMode() throws Exception {
		HandshakeLine handshake = startPluginByHand();
		PluginClient client = client(
				new ReattachConfig(handshake.network(), handshake.address(), this.plugin.pid(), 1, true));
		client.start();
		assertThat(client.getState()).isEqualTo(PluginState.RUNNING);
		assertThat(client.getPid()).isEqualTo(this.plugin.pid());
		KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(client.channel()).withDeadlineAfter(30, TimeUnit.SECONDS);
		kv.put(PutRequest.newBuilder().setKey("k").setValue(ByteString.copyFromUtf8("v")).build());
		assertThat(kv.get(GetRequest.newBuilder().setKey("k").build()).getValue().toStringUtf8()).isEqualTo("v");
		client.stop();
		assertThat(client.getState()).isEqualTo(PluginState.STOPPED);
		assertThat(this.plugin.waitFor(2, TimeUnit.SECONDS)).as("the host must not stop a test-mode plugin").isFalse();
	}

	@Test
	void asksANonTestPluginToShutDownButNeverKillsIt() throws Exception {
		HandshakeLine handshake = startPluginByHand();
		PluginClient client = client(
				new ReattachConfig(handshake.network(), handshake.address(), this.plugin.pid(), 1, false));
		client.start();
		client.stop();
		assertThat(this.plugin.waitFor(10, TimeUnit.SECONDS)).isTrue();
		assertThat(this.plugin.exitValue()).as("it exited by itself after Shutdown, not by a signal").isZero();
	}

	@Test
	void refusesAPidThatDoesNotExist() {
		PluginClient client = client(
				new ReattachConfig("unix", "/tmp/no-such-plugin.sock", Integer.MAX_VALUE - 7, 1, true));
		assertThatExceptionOfType(PluginStartException.class).isThrownBy(client::start)
			.withMessage("Plugin 'kv': reattachment process not found: no process with pid " + (Integer.MAX_VALUE - 7));
	}

	private HandshakeLine startPluginByHand() throws Exception {
		ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-jar", InteropPeers.samplePluginJar().toString(), "--plugin-server.parent-watchdog=false");
		builder.environment().put("BASIC_PLUGIN", "hello");
		builder.environment().put("PLUGIN_PROTOCOL_VERSIONS", "1");
		builder.redirectError(ProcessBuilder.Redirect.DISCARD);
		this.plugin = builder.start();
		BufferedReader stdout = new BufferedReader(
				new InputStreamReader(this.plugin.getInputStream(), StandardCharsets.US_ASCII));
		String line = CompletableFuture.supplyAsync(() -> {
			try {
				return stdout.readLine();
			}
			catch (java.io.IOException ex) {
				throw new IllegalStateException(ex);
			}
		}).get(60, TimeUnit.SECONDS);
		return HandshakeLine.parse("kv", line, Set.of(1));
	}

	private static PluginClient client(ReattachConfig reattach) {
		return new PluginClient(
				new PluginClientConfig("kv", List.of(), null, Map.of(), "BASIC_PLUGIN", "hello", Set.of(1), false, null,
						null, Duration.ofSeconds(30), Duration.ofSeconds(2), 10000, 25000, false, reattach, null),
				TestHost.SHARED);
	}

}
