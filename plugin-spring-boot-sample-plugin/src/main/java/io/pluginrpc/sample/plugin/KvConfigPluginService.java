package io.pluginrpc.sample.plugin;

import io.grpc.stub.StreamObserver;

import io.pluginrpc.autoconfigure.plugin.PluginService;
import io.pluginrpc.sample.proto.ConfigureRequest;
import io.pluginrpc.sample.proto.ConfigureResponse;
import io.pluginrpc.sample.proto.KVConfigGrpc;

/**
 * {@code proto.KVConfig}: the host sets the plugin's in-memory settings after each
 * (re)start.
 */
@PluginService
public class KvConfigPluginService extends KVConfigGrpc.KVConfigImplBase {

	private final KvSettings settings;

	public KvConfigPluginService(KvSettings settings) {
		this.settings = settings;
	}

	@Override
	public void configure(ConfigureRequest request, StreamObserver<ConfigureResponse> responseObserver) {
		this.settings.setValuePrefix(request.getValuePrefix());
		responseObserver.onNext(ConfigureResponse.getDefaultInstance());
		responseObserver.onCompleted();
	}

}
