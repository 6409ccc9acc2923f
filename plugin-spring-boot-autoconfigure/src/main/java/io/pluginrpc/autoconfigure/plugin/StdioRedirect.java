package io.pluginrpc.autoconfigure.plugin;

/**
 * Routes {@code System.out}/{@code System.err} to the host's GRPCStdio stream after the handshake
 * (go-plugin does the same with its {@code os.Stdout}/{@code os.Stderr}); logging keeps writing to the
 * real stderr, where the host parses it. A bean of this type replaces the default.
 */
public interface StdioRedirect extends AutoCloseable {

	/** Installs the redirection. */
	void install();

	@Override
	void close();

}
