package io.pluginrpc.core.broker;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;

/**
 * What application code sees of go-plugin's broker: serve extra services to the other
 * side, or connect to the services it serves, by an id that travels inside the
 * application's own RPCs (the bidirectional Counter/AddHelper example passes it as
 * {@code add_server}).
 */
public interface PluginBroker {

	/**
	 * @return a fresh id to pass to {@link #acceptAndServe} and then to the other side
	 */
	int nextId();

	/**
	 * Serves services on a new connection and announces it under {@code id}.
	 * @param id the id the other side will dial
	 * @param services the services
	 * @return the running server (stopped with the plugin at the latest)
	 */
	Server acceptAndServe(int id, BindableService... services);

	/**
	 * Connects to what the other side serves under {@code id}, waiting up to the broker
	 * timeout (5 s) for its announcement. Shut the channel down when done with it.
	 * @param id the id the other side announced
	 * @return a channel, with mutual TLS when AutoMTLS is on
	 * @throws BrokerException if nothing was announced in time or the address is unusable
	 */
	ManagedChannel dial(int id) throws BrokerException;

}
