package io.pluginrpc.sample.host;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginState;
import io.pluginrpc.sample.plugin.InteropPeers;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.KVGrpc;
import io.pluginrpc.sample.proto.PutRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's stateful plugin across a crash: the plugin keeps the value prefix the host
 * configured in memory only, the plugin is killed with SIGKILL, and the supervised
 * restart runs the sample host's {@code KvPluginInitializer} before the plugin counts as
 * RUNNING. A caller that keeps calling through the restart never sees the plugin
 * unconfigured: every answer it gets carries the prefix.
 */
// A generous start-timeout: on a machine busy with other builds a JVM plugin may take a
// minute to start.
@SpringBootTest(
		properties = { "kv.value-prefix=v1:", "plugins.kv.restart.call-wait=0s", "plugins.kv.start-timeout=5m" })
class StatefulRestartIT {

	@TempDir
	static Path values;

	@DynamicPropertySource
	static void plugin(DynamicPropertyRegistry registry) {
		registry.add("KV_PLUGIN_JAR", () -> InteropPeers.samplePluginJar().toString());
		registry.add("KV_DIRECTORY", () -> values.toString());
	}

	@Autowired
	private PluginClient kvClient;

	@Autowired
	private KVGrpc.KVBlockingStub kv;

	@Test
	void theRestartedPluginIsConfiguredBeforeAnyCallerSeesIt() throws Exception {
		this.kv.put(PutRequest.newBuilder().setKey("colour").setValue(ByteString.copyFromUtf8("blue")).build());
		assertThat(get()).isEqualTo("v1:blue");
		long firstPid = this.kvClient.getPid();

		AtomicBoolean running = new AtomicBoolean(true);
		List<String> answers = new CopyOnWriteArrayList<>();
		AtomicInteger unavailable = new AtomicInteger();
		ExecutorService caller = Executors.newSingleThreadExecutor();
		Future<?> calls = caller.submit(() -> {
			while (running.get()) {
				try {
					answers.add(get());
				}
				catch (StatusRuntimeException ex) {
					unavailable.incrementAndGet();
					// Leave the two cores to the restart instead of spinning on
					// UNAVAILABLE.
					Thread.sleep(10);
				}
			}
			return null;
		});
		try {
			ProcessHandle.of(firstPid).orElseThrow().destroyForcibly();
			waitFor(() -> this.kvClient.getRestarts() == 1 && this.kvClient.getState() == PluginState.RUNNING,
					"the supervised restart");
			int seenBeforeRestart = answers.size();
			waitFor(() -> answers.size() > seenBeforeRestart, "an answer from the restarted plugin");
		}
		finally {
			running.set(false);
			caller.shutdown();
			calls.get(60, TimeUnit.SECONDS);
		}
		assertThat(this.kvClient.getPid()).isNotEqualTo(firstPid);
		assertThat(answers)
			.as("every answer, before and after the restart (%d calls UNAVAILABLE meanwhile)", unavailable.get())
			.isNotEmpty()
			.allSatisfy((answer) -> assertThat(answer).isEqualTo("v1:blue"));
		assertThat(get()).isEqualTo("v1:blue");
	}

	private String get() {
		return this.kv.withDeadlineAfter(30, TimeUnit.SECONDS)
			.get(GetRequest.newBuilder().setKey("colour").build())
			.getValue()
			.toStringUtf8();
	}

	private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
		Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
		while (!condition.getAsBoolean()) {
			if (Instant.now().isAfter(deadline)) {
				throw new AssertionError("timed out waiting for " + what);
			}
			Thread.sleep(20);
		}
	}

}
