package io.pluginrpc.host;

import java.time.Instant;

import io.grpc.ManagedChannel;

import io.pluginrpc.core.broker.GrpcBroker;
import io.pluginrpc.core.handshake.HandshakeLine;

/**
 * Everything one start of a plugin owns, replaced as a whole on restart.
 *
 * @param runner the plugin's process
 * @param handshake its handshake line (made up from the reattach configuration when attached)
 * @param channel the connection to it
 * @param broker the broker on that connection
 * @param sockets the socket paths of this start
 * @param started when the connection was made
 * @param tlsMode {@code plaintext}, {@code auto-mtls} or {@code mtls}
 * @param healthService whether the plugin serves health service {@code plugin}
 */
record PluginConnection(PluginRunner runner, HandshakeLine handshake, ManagedChannel channel, GrpcBroker broker,
		PluginSockets sockets, Instant started, String tlsMode, boolean healthService) {

	PluginConnection withoutHealthService() {
		return new PluginConnection(this.runner, this.handshake, this.channel, this.broker, this.sockets, this.started,
				this.tlsMode, false);
	}

}
