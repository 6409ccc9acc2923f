package io.pluginrpc.sample.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.KVGrpc;
import io.pluginrpc.sample.proto.PutRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** go-plugin's KV example served by the jar, called over the real Unix socket. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KvOverUnixSocketIT {

	private PluginProcess plugin;

	private ManagedChannel channel;

	@BeforeAll
	void start() {
		this.plugin = PluginProcess.start(PluginProcess.hostEnvironment());
		this.channel = this.plugin.channel(null);
	}

	@AfterAll
	void stop() {
		this.plugin.close();
	}

	private KVGrpc.KVBlockingStub kv() {
		return KVGrpc.newBlockingStub(this.channel).withDeadlineAfter(30, TimeUnit.SECONDS);
	}

	private void put(String key, ByteString value) {
		kv().put(PutRequest.newBuilder().setKey(key).setValue(value).build());
	}

	private ByteString get(String key) {
		return kv().get(GetRequest.newBuilder().setKey(key).build()).getValue();
	}

	@Test
	void putThenGet() {
		put("hello", ByteString.copyFromUtf8("world"));
		assertThat(get("hello").toStringUtf8()).isEqualTo("world");
		put("hello", ByteString.copyFromUtf8("again"));
		assertThat(get("hello").toStringUtf8()).isEqualTo("again");
	}

	@Test
	void emptyValue() {
		put("empty", ByteString.copyFromUtf8("not yet"));
		put("empty", ByteString.EMPTY);
		assertThat(get("empty")).isEqualTo(ByteString.EMPTY);
	}

	@Test
	void oneMebibyteValue() {
		byte[] value = new byte[1024 * 1024];
		ThreadLocalRandom.current().nextBytes(value);
		put("big", ByteString.copyFrom(value));
		assertThat(get("big").toByteArray()).isEqualTo(value);
	}

	@Test
	void missingKeyIsEmpty() {
		assertThat(get("never-put")).isEqualTo(ByteString.EMPTY);
	}

	@Test
	void twoHundredConcurrentCallsAllSucceed() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(32);
		try {
			List<Future<String>> results = new ArrayList<>();
			for (int i = 0; i < 200; i++) {
				String key = "concurrent-" + i;
				results.add(pool.submit(() -> {
					put(key, ByteString.copyFromUtf8("value-" + key));
					return get(key).toStringUtf8();
				}));
			}
			for (int i = 0; i < 200; i++) {
				assertThat(results.get(i).get(60, TimeUnit.SECONDS)).isEqualTo("value-concurrent-" + i);
			}
		}
		finally {
			pool.shutdownNow();
			assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		}
	}

	@Test
	void healthOfServicePluginIsServing() {
		assertThat(HealthGrpc.newBlockingStub(this.channel)
			.withDeadlineAfter(30, TimeUnit.SECONDS)
			.check(HealthCheckRequest.newBuilder().setService("plugin").build())
			.getStatus()).isEqualTo(ServingStatus.SERVING);
	}

}
