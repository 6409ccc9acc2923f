package io.pluginrpc.integration;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginState;
import io.pluginrpc.reliability.ReliabilityRecord;
import io.pluginrpc.sample.host.SampleHostApplication;
import io.pluginrpc.sample.plugin.InteropPeers;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.KVGrpc;
import io.pluginrpc.sample.proto.PutRequest;
import io.pluginrpc.testing.Processes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample host with supervision on: the plugin is killed with SIGKILL while calls are
 * in flight; each call succeeds or fails with UNAVAILABLE naming the plugin, health goes
 * DOWN, the plugin is restarted, health is UP again, and the injected stub works again.
 * <p>
 * Each test gets a context (and plugin, metrics and counters) of its own, so they pass in
 * any order. The restart delay of 10 s leaves health DOWN long enough to be seen even on
 * a loaded machine.
 */
@SpringBootTest(classes = SampleHostApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "plugins.kv.restart.call-wait=0s", "plugins.kv.restart.initial-backoff=10s",
				"plugins.kv.start-timeout=5m" })
@ActiveProfiles("web")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
@TestMethodOrder(MethodOrderer.Random.class)
class SupervisionIT {

	private static final int CALLERS = 8;

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@DynamicPropertySource
	static void pluginJar(DynamicPropertyRegistry registry) {
		registry.add("KV_PLUGIN_JAR", () -> InteropPeers.samplePluginJar().toString());
	}

	@Autowired
	private TestRestTemplate http;

	@Autowired
	private PluginClient kvClient;

	@Autowired
	private KVGrpc.KVBlockingStub kv;

	private final AtomicLong succeeded = new AtomicLong();

	/** Calls that succeeded, by caller: each caller is calling before the kill. */
	private final AtomicLongArray succeededBy = new AtomicLongArray(CALLERS);

	@Test
	void restartsACrashedPluginAndTheStubWorksAgain() throws Exception {
		assertThat(health().get("status")).isEqualTo("UP");
		long firstPid = this.kvClient.getPid();

		AtomicBoolean running = new AtomicBoolean(true);
		ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
		List<String> failures = new ArrayList<>();
		long succeededAfterRestart;
		try {
			List<Future<List<String>>> results = new ArrayList<>();
			for (int i = 0; i < CALLERS; i++) {
				int caller = i;
				results.add(callers.submit(() -> callUntilStopped(caller, running)));
			}
			// Calls in flight: every caller has had a call answered and keeps calling
			// when the kill comes.
			waitFor(() -> IntStream.range(0, CALLERS).allMatch((caller) -> this.succeededBy.get(caller) > 0),
					"every caller to have a call answered");
			ProcessHandle.of(firstPid).orElseThrow().destroyForcibly();
			waitFor(() -> this.kvClient.getState() != PluginState.RUNNING, "the crash to be noticed");
			waitFor(() -> "DOWN".equals(health().get("status")), "health to go DOWN (before the restart, 10 s later)");
			waitFor(() -> this.kvClient.getState() == PluginState.RUNNING, "the restart");
			long atRestart = this.succeeded.get();
			waitFor(() -> this.succeeded.get() > atRestart, "a caller's call to succeed after the restart");
			running.set(false);
			callers.shutdown();
			for (Future<List<String>> result : results) {
				failures.addAll(result.get(Processes.HANG_GUARD.toSeconds(), TimeUnit.SECONDS));
			}
			succeededAfterRestart = this.succeeded.get() - atRestart;
		}
		finally {
			running.set(false);
			callers.shutdownNow();
		}
		assertThat(failures).as("calls that failed while the plugin was down (call-wait 0 s, 10 s restart delay)")
			.isNotEmpty();
		assertThat(failures).as("every failed call names the plugin and is UNAVAILABLE")
			.allSatisfy((failure) -> assertThat(failure).startsWith("UNAVAILABLE").contains("Plugin 'kv'"));
		assertThat(succeededAfterRestart).as("the callers' calls after the restart").isPositive();

		assertThat(this.kvClient.getPid()).isNotEqualTo(firstPid);
		assertThat(this.kvClient.getRestarts()).isEqualTo(1);
		waitFor(() -> "UP".equals(health().get("status")), "health to be UP again");
		this.kv.withDeadlineAfter(30, TimeUnit.SECONDS)
			.put(PutRequest.newBuilder().setKey("after").setValue(ByteString.copyFromUtf8("crash")).build());
		assertThat(this.kv.get(GetRequest.newBuilder().setKey("after").build()).getValue().toStringUtf8())
			.isEqualTo("crash");

		Map<String, Object> plugins = this.http.exchange("/actuator/plugins", HttpMethod.GET, null, JSON).getBody();
		@SuppressWarnings("unchecked")
		Map<String, Object> kvDetails = (Map<String, Object>) plugins.get("kv");
		assertThat(kvDetails).containsEntry("state", "RUNNING")
			.containsEntry("restarts", 1)
			.containsEntry("lastExitStatus", 137);
		Map<String, Object> restarts = this.http
			.exchange("/actuator/metrics/plugin.restarts?tag=plugin:kv", HttpMethod.GET, null, JSON)
			.getBody();
		assertThat(restarts.get("measurements").toString()).contains("value=1.0");
		Map<String, Object> handshakes = this.http
			.exchange("/actuator/metrics/plugin.handshake.duration?tag=plugin:kv", HttpMethod.GET, null, JSON)
			.getBody();
		assertThat(handshakes.get("measurements").toString()).contains("statistic=COUNT, value=2.0");

		ReliabilityRecord.put(SupervisionIT.class, "supervision.faults", 1);
		ReliabilityRecord.put(SupervisionIT.class, "supervision.calls.ok", this.succeeded.get());
		ReliabilityRecord.put(SupervisionIT.class, "supervision.calls.UNAVAILABLE", failures.size());
	}

	@Test
	void restartsOnRequestThroughTheEndpoint() {
		long before = this.kvClient.getPid();
		Map<String, Object> after = this.http.exchange("/actuator/plugins/kv", HttpMethod.POST, null, JSON).getBody();
		assertThat(after).containsEntry("state", "RUNNING");
		assertThat(((Number) after.get("pid")).longValue()).isNotEqualTo(before).isEqualTo(this.kvClient.getPid());
		this.kv.withDeadlineAfter(30, TimeUnit.SECONDS)
			.put(PutRequest.newBuilder().setKey("x").setValue(ByteString.copyFromUtf8("restarted")).build());
		assertThat(this.kv.withDeadlineAfter(30, TimeUnit.SECONDS)
			.get(GetRequest.newBuilder().setKey("x").build())
			.getValue()
			.toStringUtf8()).isEqualTo("restarted");
	}

	private List<String> callUntilStopped(int caller, AtomicBoolean running) throws InterruptedException {
		List<String> failures = new ArrayList<>();
		int i = 0;
		while (running.get()) {
			try {
				this.kv.withDeadlineAfter(10, TimeUnit.SECONDS)
					.put(PutRequest.newBuilder()
						.setKey(caller + "-" + i++)
						.setValue(ByteString.copyFromUtf8("v"))
						.build());
				this.succeeded.incrementAndGet();
				this.succeededBy.incrementAndGet(caller);
			}
			catch (StatusRuntimeException ex) {
				failures.add(ex.getStatus().getCode() + ": " + ex.getStatus().getDescription());
				if (ex.getStatus().getCode() != Status.Code.UNAVAILABLE) {
					break;
				}
				// A caller retrying at once only takes the CPU the restart needs
				// (millions of calls on 2 cores).
				Thread.sleep(10);
			}
		}
		return failures;
	}

	private Map<String, Object> health() {
		return this.http.exchange("/actuator/health/plugins/kv", HttpMethod.GET, null, JSON).getBody();
	}

	private static void waitFor(Supplier<Boolean> condition, String what) throws InterruptedException {
		Instant deadline = Instant.now().plus(Processes.HANG_GUARD);
		while (!condition.get()) {
			if (Instant.now().isAfter(deadline)) {
				throw new AssertionError("Waited " + Processes.HANG_GUARD.toSeconds() + " s for " + what);
			}
			Thread.sleep(20);
		}
	}

}
