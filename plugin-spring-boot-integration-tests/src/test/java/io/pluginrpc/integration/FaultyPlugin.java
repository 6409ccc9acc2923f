package io.pluginrpc.integration;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.pluginrpc.core.handshake.HandshakeLine;
import io.pluginrpc.plugin.PluginServer;
import io.pluginrpc.plugin.PluginStdout;
import io.pluginrpc.testing.SocketProxy;

/**
 * A plugin for fault tests, built on the protocol core alone and started as
 * {@code java -cp <test classpath> FaultyPlugin <mode>}; it serves {@link FaultService}.
 * Modes: {@code direct} (the plugin's own listener), {@code proxied} (a listener it can
 * close and connections it can drop, see {@link SocketProxy}),
 * {@code stdout-closed-after-handshake} and {@code stdout-closed-before-handshake} (it
 * closes file descriptor 1 and lives on).
 */
public final class FaultyPlugin {

	private FaultyPlugin() {
	}

	/**
	 * @param mode how it misbehaves
	 * @return the command that launches it
	 */
	static List<String> command(String mode) {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		return List.of(java, "-cp", System.getProperty("java.class.path"), FaultyPlugin.class.getName(), mode);
	}

	public static void main(String[] args) throws Exception {
		String mode = args[0];
		PluginStdout stdout = new PluginStdout();
		stdout.guard();
		if (mode.equals("stdout-closed-before-handshake")) {
			closeStdout();
			System.err.println("stdout closed before the handshake");
			Thread.sleep(Long.MAX_VALUE);
		}
		PluginServer server = CoreTestPlugin.prepare();
		SocketProxy[] proxy = new SocketProxy[1];
		HandshakeLine handshake = server.start(1,
				List.of(FaultService.definition(() -> proxy[0].closeListener(), () -> proxy[0].dropConnections())),
				() -> {
					server.close();
					System.exit(0);
				});
		if (mode.equals("proxied")) {
			Path front = server.socketDirectory().resolve("front.sock");
			proxy[0] = SocketProxy.start(front, Path.of(handshake.address()));
			handshake = new HandshakeLine(handshake.coreVersion(), handshake.appVersion(), "unix", front.toString(),
					handshake.protocol(), handshake.serverCertificate(), null);
		}
		stdout.writeHandshake(handshake.format());
		if (mode.equals("stdout-closed-after-handshake")) {
			closeStdout();
		}
		server.awaitTermination();
	}

	/** Closes file descriptor 1 itself, not just a stream on it. */
	private static void closeStdout() throws IOException {
		new FileOutputStream(FileDescriptor.out).close();
	}

}
