package io.pluginrpc.host;

import java.time.Instant;

import io.grpc.ManagedChannel;

import io.pluginrpc.core.broker.GrpcBroker;
import io.pluginrpc.core.handshake.HandshakeLine;

/**
 * Everything one start of a plugin owns, replaced as a whole on restart.
 *
 * @param runner the plugin's process
 * @param handshake its handshake line (made up from the reattach configuration when
 * attached)
 * @param channel the connection to it
 * @param broker the broker on that connection
 * @param sockets the socket paths of this start
 * @param started when the connection was made
 * @param tlsMode {@code plaintext}, {@code auto-mtls} or {@code mtls}
 * @param healthService whether the plugin serves health service {@code plugin}
 */
record PluginConnection(PluginRunner runner, HandshakeLine handshake, ManagedChannel channel, GrpcBroker broker,
		PluginSockets sockets, Instant started, String tlsMode, boolean healthService) {

	/** Closes the host's side of the connection: the broker and the channel. */
	void close() {
		this.broker.close();
		this.channel.shutdownNow();
	}

	/**
	 * Kills the process tree (a no-op once it exited, and for a reattached plugin) and
	 * removes the socket paths.
	 */
	void releaseProcess() {
		this.runner.kill();
		this.sockets.release();
	}

	/**
	 * Closes the connection and releases the process and the socket paths: everything the
	 * connection holds.
	 */
	void release() {
		close();
		releaseProcess();
	}

	/**
	 * @param name the plugin's name
	 * @return why the plugin failed when its process exited on its own
	 */
	String unexpectedExit(String name) {
		return this.runner.launched()
				? "Plugin '" + name + "' (pid " + this.runner.pid() + ") exited unexpectedly with status "
						+ this.runner.exitValue()
				: "Reattached plugin '" + name + "' (pid " + this.runner.pid() + ") exited";
	}

	/**
	 * @return how the plugin was reached, for the log line of a start
	 */
	String describe() {
		return (this.runner.launched() ? "started" : "reattached") + ": pid " + this.runner.pid()
				+ ", protocol version " + this.handshake.appVersion() + ", " + this.handshake.network() + " "
				+ this.handshake.address() + " (" + this.tlsMode + ")";
	}

	PluginConnection withoutHealthService() {
		return new PluginConnection(this.runner, this.handshake, this.channel, this.broker, this.sockets, this.started,
				this.tlsMode, false);
	}

}
