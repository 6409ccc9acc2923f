package io.pluginrpc.integration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginClientConfig;
import io.pluginrpc.host.PluginEventListener;
import io.pluginrpc.host.PluginState;
import io.pluginrpc.host.RestartPolicy;
import io.pluginrpc.reliability.ReliabilityRecord;
import io.pluginrpc.sample.plugin.InteropPeers;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.KVGrpc;
import io.pluginrpc.sample.proto.PutRequest;
import io.pluginrpc.testing.Processes;
import io.pluginrpc.testing.TestHost;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 64 concurrent callers against the sample KV plugin keeping its values in files, killed
 * with SIGKILL once {@value #WRITES_BEFORE_KILL} writes are acknowledged and restarted by
 * supervision, the callers going on until {@value #WRITES_AFTER_RESTART} more are: every
 * call succeeds or fails with a status naming the plugin, and every acknowledged Put is
 * read back afterwards, from a freshly started process. The load is counted in writes,
 * not in seconds: how fast the calls go is for benchmarks.
 */
class LoadIT {

	private static final int CALLERS = 64;

	private static final int WRITES_BEFORE_KILL = 5000;

	private static final int WRITES_AFTER_RESTART = 5000;

	/** Each call's deadline: far beyond a healthy call, so only a hang would reach it. */
	private static final long CALL_DEADLINE_SECONDS = 20;

	@TempDir
	Path store;

	private final Map<String, AtomicLong> callsByStatus = new ConcurrentHashMap<>();

	private final List<String> unclearFailures = new ArrayList<>();

	@Test
	void everyCallEndsClearlyAndNoAcknowledgedWriteIsLostAcrossAKill() throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		PluginClient client = new PluginClient(
				new PluginClientConfig("load", List.of(java, "-jar", InteropPeers.samplePluginJar().toString()), null,
						Map.of("KV_DIRECTORY", this.store.toString()), "BASIC_PLUGIN", "hello", Set.of(1), true, null,
						null, Processes.HANG_GUARD, Duration.ofSeconds(5), 10000, 25000, false, null, null),
				TestHost.SHARED,
				new RestartPolicy(true, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, -1, Duration.ofSeconds(10)),
				PluginEventListener.NONE, List.of());
		client.start();
		long firstPid = client.getPid();
		Map<String, String> acknowledged = new ConcurrentHashMap<>();
		try {
			KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(client.channel());
			AtomicBoolean running = new AtomicBoolean(true);
			long wrongValues = 0;
			ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
			try {
				List<Future<Long>> results = new ArrayList<>();
				for (int i = 0; i < CALLERS; i++) {
					int caller = i;
					results.add(callers.submit(() -> call(kv, caller, running, acknowledged)));
				}
				waitFor(() -> acknowledged.size() >= WRITES_BEFORE_KILL, WRITES_BEFORE_KILL + " acknowledged writes");
				ProcessHandle.of(firstPid).orElseThrow().destroyForcibly();
				waitFor(() -> client.getRestarts() == 1 && client.getState() == PluginState.RUNNING, "the restart");
				int atRestart = acknowledged.size();
				waitFor(() -> acknowledged.size() >= atRestart + WRITES_AFTER_RESTART,
						WRITES_AFTER_RESTART + " acknowledged writes after the restart");
				running.set(false);
				callers.shutdown();
				for (Future<Long> result : results) {
					// Bounded: a caller stops after its current call, whose deadline is
					// bounded too.
					wrongValues += result.get(2 * CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
				}
			}
			finally {
				// A failed wait must not leave 64 callers running into the next test.
				running.set(false);
				callers.shutdownNow();
			}
			assertThat(client.getRestarts()).as("restarts by supervision").isEqualTo(1);
			assertThat(client.getState()).isEqualTo(PluginState.RUNNING);
			assertThat(client.getPid()).isNotEqualTo(firstPid);
			assertThat(wrongValues).as("reads of an acknowledged key that returned another value").isZero();

			// A fresh process reads what the killed one and its successor acknowledged.
			client.stop();
			client.start();
			long lost = countLost(KVGrpc.newBlockingStub(client.channel()), acknowledged);

			Map<String, Long> counts = new TreeMap<>();
			this.callsByStatus.forEach((status, count) -> counts.put(status, count.get()));
			assertThat(this.unclearFailures).as("failures without a status naming the plugin").isEmpty();
			assertThat(counts.keySet()).as("statuses seen: %s", counts).isSubsetOf("OK", "UNAVAILABLE");
			assertThat(lost).as("acknowledged writes lost or changed").isZero();

			ReliabilityRecord.put(LoadIT.class, "load.parameter.about",
					CALLERS + " callers, Put and Get against the " + "file-backed KV plugin, SIGKILL after "
							+ WRITES_BEFORE_KILL + " acknowledged writes, supervised restart, " + WRITES_AFTER_RESTART
							+ " more writes after it");
			ReliabilityRecord.put(LoadIT.class, "load.faults", 1);
			counts.forEach((status, count) -> ReliabilityRecord.put(LoadIT.class,
					"load.calls." + (status.equals("OK") ? "ok" : status), count));
			ReliabilityRecord.put(LoadIT.class, "load.acknowledgedWrites", acknowledged.size());
			ReliabilityRecord.put(LoadIT.class, "load.lost", lost);
		}
		finally {
			client.stop();
		}
		Processes.awaitGone(firstPid, "the killed plugin");
	}

	/**
	 * Puts unique keys and reads back some of its own acknowledged ones until the load
	 * ends.
	 * @return how many reads returned another value than acknowledged
	 */
	private long call(KVGrpc.KVBlockingStub kv, int caller, AtomicBoolean running, Map<String, String> acknowledged)
			throws InterruptedException {
		List<String> mine = new ArrayList<>();
		long wrong = 0;
		for (int sequence = 0; running.get(); sequence++) {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			try {
				if (sequence % 4 == 3 && !mine.isEmpty()) {
					String key = mine.get(random.nextInt(mine.size()));
					String value = kv.withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
						.get(GetRequest.newBuilder().setKey(key).build())
						.getValue()
						.toStringUtf8();
					if (!value.equals(acknowledged.get(key))) {
						wrong++;
					}
				}
				else {
					String key = "caller" + caller + "-" + sequence;
					String value = key + "=" + Long.toHexString(random.nextLong());
					kv.withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
						.put(PutRequest.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8(value)).build());
					acknowledged.put(key, value);
					mine.add(key);
				}
				count("OK");
			}
			catch (StatusRuntimeException ex) {
				Status status = ex.getStatus();
				count(status.getCode().name());
				if (status.getDescription() == null || !status.getDescription().contains("Plugin 'load'")) {
					synchronized (this.unclearFailures) {
						this.unclearFailures.add(status.toString());
					}
				}
				// While the plugin is down, retrying at once only takes the CPU its
				// restart needs.
				Thread.sleep(10);
			}
		}
		return wrong;
	}

	private long countLost(KVGrpc.KVBlockingStub kv, Map<String, String> acknowledged) throws Exception {
		ExecutorService readers = Executors.newFixedThreadPool(8);
		try {
			List<Future<Boolean>> reads = new ArrayList<>();
			acknowledged.forEach((key, value) -> reads
				.add(readers.submit(() -> value.equals(kv.withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
					.get(GetRequest.newBuilder().setKey(key).build())
					.getValue()
					.toStringUtf8()))));
			long lost = 0;
			for (Future<Boolean> read : reads) {
				if (!read.get(2 * CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)) {
					lost++;
				}
			}
			return lost;
		}
		finally {
			readers.shutdownNow();
		}
	}

	private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
		long deadline = System.nanoTime() + Processes.HANG_GUARD.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Waited " + Processes.HANG_GUARD.toSeconds() + " s for " + what);
			}
			Thread.sleep(20);
		}
	}

	private void count(String status) {
		this.callsByStatus.computeIfAbsent(status, (s) -> new AtomicLong()).incrementAndGet();
	}

}
