package io.pluginrpc.core.mux;

import java.io.IOException;

/**
 * The peer broke the yamux protocol: a bad header, a frame beyond the receive window, a
 * duplicate stream, an error go-away. The session ends with it; the message says what was
 * expected and what arrived.
 */
public class YamuxProtocolException extends IOException {

	public YamuxProtocolException(String message) {
		super(message);
	}

}
