package io.pluginrpc.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import io.grpc.Server;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;

import io.pluginrpc.core.transport.SocketDirectory;
import io.pluginrpc.core.transport.Transports;
import io.pluginrpc.sample.proto.Empty;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.GetResponse;
import io.pluginrpc.sample.proto.KVGrpc;
import io.pluginrpc.sample.proto.PutRequest;

/**
 * A real gRPC server on a real Unix socket in this JVM, playing the plugin behind a
 * {@link FakeRunner}: KV with a prefix that a "Configure"-like put of key
 * {@code __prefix} sets (the state a restarted plugin has forgotten), and, unless told
 * otherwise, the {@code plugin} health service.
 */
final class InJvmPlugin implements AutoCloseable {

	private final SocketDirectory directory = SocketDirectory.create(null, null);

	private final Server server;

	private final Path socket;

	/** Cleared on every restart of the "process". */
	private final AtomicReference<String> prefix = new AtomicReference<>("");

	InJvmPlugin(boolean healthService) {
		this.socket = this.directory.socket("plugin.sock");
		var builder = Transports.serverBuilder(new DomainSocketAddress(this.socket.toString()), null)
			.addService(new Kv());
		if (healthService) {
			HealthStatusManager health = new HealthStatusManager();
			health.setStatus("plugin", io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
			builder.addService(health.getHealthService());
		}
		try {
			this.server = builder.build().start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * @return a launcher whose every launch is a new fake process of this plugin, with
	 * its state forgotten
	 */
	PluginRunner.Launcher launcher(java.util.List<FakeRunner> launched) {
		return (config, environment, log, registry) -> {
			this.prefix.set("");
			FakeRunner runner = new FakeRunner("1|1|unix|" + this.socket + "|grpc|");
			launched.add(runner);
			return runner;
		};
	}

	String prefix() {
		return this.prefix.get();
	}

	@Override
	public void close() {
		this.server.shutdownNow();
		this.directory.close();
	}

	private final class Kv extends KVGrpc.KVImplBase {

		private final java.util.Map<String, com.google.protobuf.ByteString> values = new java.util.concurrent.ConcurrentHashMap<>();

		@Override
		public void put(PutRequest request, StreamObserver<Empty> response) {
			if (request.getKey().equals("__prefix")) {
				InJvmPlugin.this.prefix.set(request.getValue().toStringUtf8());
			}
			else {
				this.values.put(request.getKey(), request.getValue());
			}
			response.onNext(Empty.getDefaultInstance());
			response.onCompleted();
		}

		@Override
		public void get(GetRequest request, StreamObserver<GetResponse> response) {
			com.google.protobuf.ByteString value = this.values.getOrDefault(request.getKey(),
					com.google.protobuf.ByteString.EMPTY);
			response.onNext(GetResponse.newBuilder()
				.setValue(com.google.protobuf.ByteString
					.copyFromUtf8(InJvmPlugin.this.prefix.get() + value.toStringUtf8()))
				.build());
			response.onCompleted();
		}

	}

}
