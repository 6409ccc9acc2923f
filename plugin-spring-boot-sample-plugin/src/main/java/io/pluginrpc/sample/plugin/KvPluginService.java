package io.pluginrpc.sample.plugin;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;

import io.pluginrpc.autoconfigure.plugin.PluginService;
import io.pluginrpc.sample.proto.Empty;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.GetResponse;
import io.pluginrpc.sample.proto.KVGrpc;
import io.pluginrpc.sample.proto.PutRequest;

/** go-plugin's {@code proto.KV} service, protocol version 1. */
@PluginService
public class KvPluginService extends KVGrpc.KVImplBase {

	private final KvStore store;

	public KvPluginService(KvStore store) {
		this.store = store;
	}

	@Override
	public void get(GetRequest request, StreamObserver<GetResponse> responseObserver) {
		responseObserver.onNext(GetResponse.newBuilder().setValue(ByteString.copyFrom(this.store.get(request.getKey()))).build());
		responseObserver.onCompleted();
	}

	@Override
	public void put(PutRequest request, StreamObserver<Empty> responseObserver) {
		this.store.put(request.getKey(), request.getValue().toByteArray());
		responseObserver.onNext(Empty.getDefaultInstance());
		responseObserver.onCompleted();
	}

}
