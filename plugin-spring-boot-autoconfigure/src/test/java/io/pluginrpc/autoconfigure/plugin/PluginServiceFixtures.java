package io.pluginrpc.autoconfigure.plugin;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.pluginrpc.sample.proto.CounterGetRequest;
import io.pluginrpc.sample.proto.CounterGetResponse;
import io.pluginrpc.sample.proto.CounterGrpc;
import io.pluginrpc.sample.proto.Empty;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.GetResponse;
import io.pluginrpc.sample.proto.KVGrpc;
import io.pluginrpc.sample.proto.PutRequest;

/**
 * {@link PluginService} beans the plugin-server tests of both Spring Boot lines serve.
 */
final class PluginServiceFixtures {

	private PluginServiceFixtures() {
	}

	/** KV in version 1, Counter (value 2) in version 2. */
	@Configuration(proxyBeanMethods = false)
	static class Services {

		@Bean
		KvVersionOne kv() {
			return new KvVersionOne();
		}

		@Bean
		CounterVersionTwo counter() {
			return new CounterVersionTwo();
		}

	}

	@PluginService
	static class NotAService {

	}

	@PluginService
	static class KvVersionOne extends KVGrpc.KVImplBase {

		private volatile ByteString value = ByteString.EMPTY;

		@Override
		public void get(GetRequest request, StreamObserver<GetResponse> responseObserver) {
			responseObserver.onNext(GetResponse.newBuilder().setValue(this.value).build());
			responseObserver.onCompleted();
		}

		@Override
		public void put(PutRequest request, StreamObserver<Empty> responseObserver) {
			this.value = request.getValue();
			responseObserver.onNext(Empty.getDefaultInstance());
			responseObserver.onCompleted();
		}

	}

	@PluginService(versions = 2)
	static class CounterVersionTwo extends CounterGrpc.CounterImplBase {

		@Override
		public void get(CounterGetRequest request, StreamObserver<CounterGetResponse> responseObserver) {
			responseObserver.onNext(CounterGetResponse.newBuilder().setValue(2).build());
			responseObserver.onCompleted();
		}

	}

}
