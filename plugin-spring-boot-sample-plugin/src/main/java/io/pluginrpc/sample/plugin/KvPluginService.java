package io.pluginrpc.sample.plugin;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;

import io.pluginrpc.autoconfigure.plugin.PluginService;
import io.pluginrpc.sample.proto.Empty;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.GetResponse;
import io.pluginrpc.sample.proto.KVGrpc;
import io.pluginrpc.sample.proto.PutRequest;

/**
 * go-plugin's {@code proto.KV} service, protocol version 1. Get puts the prefix
 * configured through {@code proto.KVConfig} (none until a host configures one) in front
 * of the stored value.
 */
@PluginService
public class KvPluginService extends KVGrpc.KVImplBase {

	private final KvStore store;

	private final KvSettings settings;

	public KvPluginService(KvStore store, KvSettings settings) {
		this.store = store;
		this.settings = settings;
	}

	@Override
	public void get(GetRequest request, StreamObserver<GetResponse> responseObserver) {
		ByteString value = ByteString.copyFromUtf8(this.settings.getValuePrefix())
			.concat(ByteString.copyFrom(this.store.get(request.getKey())));
		responseObserver.onNext(GetResponse.newBuilder().setValue(value).build());
		responseObserver.onCompleted();
	}

	@Override
	public void put(PutRequest request, StreamObserver<Empty> responseObserver) {
		this.store.put(request.getKey(), request.getValue().toByteArray());
		responseObserver.onNext(Empty.getDefaultInstance());
		responseObserver.onCompleted();
	}

}
