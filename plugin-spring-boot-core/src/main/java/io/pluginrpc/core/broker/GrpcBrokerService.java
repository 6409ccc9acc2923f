package io.pluginrpc.core.broker;

import io.grpc.stub.StreamObserver;

import io.pluginrpc.proto.plugin.ConnInfo;
import io.pluginrpc.proto.plugin.GRPCBrokerGrpc;

/**
 * The plugin's side of {@code plugin.GRPCBroker}: hands the host's stream to the plugin's
 * broker.
 */
public final class GrpcBrokerService extends GRPCBrokerGrpc.GRPCBrokerImplBase {

	private final GrpcBroker broker;

	public GrpcBrokerService(GrpcBroker broker) {
		this.broker = broker;
	}

	@Override
	public StreamObserver<ConnInfo> startStream(StreamObserver<ConnInfo> responseObserver) {
		return this.broker.attach(responseObserver);
	}

}
