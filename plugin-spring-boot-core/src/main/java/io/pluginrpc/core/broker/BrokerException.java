package io.pluginrpc.core.broker;

/**
 * A broker dial that could not be completed, with a message naming the plugin and the id.
 */
public class BrokerException extends Exception {

	public BrokerException(String message) {
		super(message);
	}

}
