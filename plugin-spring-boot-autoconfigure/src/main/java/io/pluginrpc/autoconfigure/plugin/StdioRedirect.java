package io.pluginrpc.autoconfigure.plugin;

import io.grpc.BindableService;

/**
 * Serves the plugin's {@code plugin.GRPCStdio} stream and, after the handshake, routes
 * {@code System.out}/{@code System.err} into it (go-plugin does the same with its
 * {@code os.Stdout}/{@code os.Stderr}); logging keeps writing to the real stderr, where
 * the host parses it. A bean of this type replaces the default.
 */
public interface StdioRedirect extends AutoCloseable {

	/**
	 * @return the {@code plugin.GRPCStdio} service to register
	 */
	BindableService service();

	/**
	 * Routes {@code System.out}/{@code System.err} to the service; called right after the
	 * handshake.
	 */
	void install();

	/** Ends the stream. */
	@Override
	void close();

}
