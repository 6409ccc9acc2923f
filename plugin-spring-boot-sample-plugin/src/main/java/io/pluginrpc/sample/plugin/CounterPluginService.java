package io.pluginrpc.sample.plugin;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import io.pluginrpc.autoconfigure.plugin.PluginService;
import io.pluginrpc.core.broker.BrokerException;
import io.pluginrpc.core.broker.PluginBroker;
import io.pluginrpc.sample.proto.AddHelperGrpc;
import io.pluginrpc.sample.proto.CounterEmpty;
import io.pluginrpc.sample.proto.CounterGetRequest;
import io.pluginrpc.sample.proto.CounterGetResponse;
import io.pluginrpc.sample.proto.CounterGrpc;
import io.pluginrpc.sample.proto.CounterPutRequest;
import io.pluginrpc.sample.proto.SumRequest;

/**
 * go-plugin's bidirectional {@code proto.Counter}: Put asks the host's {@code AddHelper},
 * reached through the broker under the id the host passed as {@code add_server}, to add
 * the value to the stored one.
 */
@PluginService
public class CounterPluginService extends CounterGrpc.CounterImplBase {

	private final PluginBroker broker;

	private final Map<String, Long> values = new ConcurrentHashMap<>();

	public CounterPluginService(PluginBroker broker) {
		this.broker = broker;
	}

	@Override
	public void put(CounterPutRequest request, StreamObserver<CounterEmpty> responseObserver) {
		ManagedChannel channel;
		try {
			channel = this.broker.dial(request.getAddServer());
		}
		catch (BrokerException ex) {
			responseObserver.onError(Status.UNAVAILABLE.withDescription(ex.getMessage()).asRuntimeException());
			return;
		}
		try {
			synchronized (this.values) {
				long current = this.values.getOrDefault(request.getKey(), 0L);
				long sum = AddHelperGrpc.newBlockingStub(channel)
					.withDeadlineAfter(10, TimeUnit.SECONDS)
					.sum(SumRequest.newBuilder().setA(current).setB(request.getValue()).build())
					.getR();
				this.values.put(request.getKey(), sum);
			}
			responseObserver.onNext(CounterEmpty.getDefaultInstance());
			responseObserver.onCompleted();
		}
		catch (RuntimeException ex) {
			responseObserver.onError(Status.fromThrowable(ex)
				.augmentDescription("calling the host's AddHelper through broker id " + request.getAddServer())
				.asRuntimeException());
		}
		finally {
			channel.shutdownNow();
		}
	}

	@Override
	public void get(CounterGetRequest request, StreamObserver<CounterGetResponse> responseObserver) {
		responseObserver
			.onNext(CounterGetResponse.newBuilder().setValue(this.values.getOrDefault(request.getKey(), 0L)).build());
		responseObserver.onCompleted();
	}

}
