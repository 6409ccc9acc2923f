package io.pluginrpc.integration;

import java.util.List;

import io.grpc.stub.StreamObserver;

import io.pluginrpc.core.handshake.HandshakeLine;
import io.pluginrpc.plugin.PluginServer;
import io.pluginrpc.plugin.PluginStdout;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.GetResponse;
import io.pluginrpc.sample.proto.KVGrpc;

/**
 * A misbehaving plugin for fault tests: it ignores the host's Shutdown request and never
 * answers Get ({@link FaultService#RECEIVED} counts the Gets it holds). Built on the
 * protocol core alone, started as {@code java -cp <test classpath> StubbornPlugin}.
 */
public final class StubbornPlugin {

	private StubbornPlugin() {
	}

	public static void main(String[] args) throws InterruptedException {
		// Logging would otherwise reach stdout before the handshake line.
		PluginStdout stdout = new PluginStdout();
		stdout.guard();
		PluginServer server = CoreTestPlugin.prepare();
		HandshakeLine handshake = server.start(1, List.of(new HangingKv().bindService(), FaultService.definition(() -> {
		}, () -> {
		})), () -> {
			// Ignores Shutdown: the host must fall back to killing it.
		});
		stdout.writeHandshake(handshake.format());
		Thread.sleep(Long.MAX_VALUE);
	}

	/** Get never answers. */
	static final class HangingKv extends KVGrpc.KVImplBase {

		@Override
		public void get(GetRequest request, StreamObserver<GetResponse> responseObserver) {
			// Never answers; FaultService.RECEIVED tells the test the call is here.
			FaultService.noteReceived();
		}

	}

}
