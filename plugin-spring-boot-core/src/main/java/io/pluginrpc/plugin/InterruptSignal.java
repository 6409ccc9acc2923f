package io.pluginrpc.plugin;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ignores SIGINT like a go-plugin plugin: Ctrl-C in a terminal reaches the whole
 * foreground process group, and only the host should decide when its plugins stop.
 * SIGTERM keeps the JVM default (run the shutdown hooks, which stop the server
 * gracefully).
 */
public final class InterruptSignal {

	private InterruptSignal() {
	}

	/** Ignores SIGINT from now on; a no-op where the JVM does not allow it. */
	public static void ignore() {
		try {
			Signal.handle(new Signal("INT"), SignalHandler.SIG_IGN);
		}
		catch (IllegalArgumentException ex) {
			// The JVM was started with -Xrs or the signal is reserved: nothing we can do.
		}
	}

}
