package io.pluginrpc.sample.plugin;

import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;

import io.pluginrpc.sample.proto.ConfigureRequest;
import io.pluginrpc.sample.proto.ConfigureResponse;
import io.pluginrpc.sample.proto.Empty;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.GetResponse;
import io.pluginrpc.sample.proto.PutRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's stateful part: KV.Get puts the prefix set through KVConfig.Configure
 * before the stored value.
 */
class KvConfigTests {

	private final KvSettings settings = new KvSettings();

	private final KvPluginService kv = new KvPluginService(new InMemoryKvStore(), this.settings);

	private final KvConfigPluginService config = new KvConfigPluginService(this.settings);

	@Test
	void anUnconfiguredPluginReturnsValuesAsStored() {
		put("colour", "blue");
		assertThat(get("colour")).isEqualTo("blue");
	}

	@Test
	void getPutsTheConfiguredPrefixBeforeTheStoredValue() {
		put("colour", "blue");
		Recorder<ConfigureResponse> configured = new Recorder<>();
		this.config.configure(ConfigureRequest.newBuilder().setValuePrefix("v1:").build(), configured);
		assertThat(configured.completed).isTrue();
		assertThat(get("colour")).isEqualTo("v1:blue");
		assertThat(get("missing")).isEqualTo("v1:");
	}

	private void put(String key, String value) {
		Recorder<Empty> done = new Recorder<>();
		this.kv.put(PutRequest.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8(value)).build(), done);
		assertThat(done.completed).isTrue();
	}

	private String get(String key) {
		Recorder<GetResponse> response = new Recorder<>();
		this.kv.get(GetRequest.newBuilder().setKey(key).build(), response);
		assertThat(response.completed).isTrue();
		return response.values.get(0).getValue().toStringUtf8();
	}

	private static final class Recorder<T> implements StreamObserver<T> {

		final List<T> values = new ArrayList<>();

		boolean completed;

		@Override
		public void onNext(T value) {
			this.values.add(value);
		}

		@Override
		public void onError(Throwable error) {
			throw new AssertionError(error);
		}

		@Override
		public void onCompleted() {
			this.completed = true;
		}

	}

}
