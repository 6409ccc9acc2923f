package io.pluginrpc.host;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.pluginrpc.core.handshake.HandshakeException;
import io.pluginrpc.logging.PluginLogForwarder;

/**
 * The process behind a plugin connection, as go-plugin's {@code runner.Runner} sees it:
 * one the host launched ({@link LaunchedRunner}) or one someone else started and the host
 * attached to ({@link AttachedRunner}, never killed).
 */
interface PluginRunner {

	/** Launches a plugin's process; a seam for tests that stand a fake process in. */
	@FunctionalInterface
	interface Launcher {

		PluginRunner launch(PluginClientConfig config, Map<String, String> environment, PluginLogForwarder log,
				ProcessRegistry registry);

	}

	/**
	 * @return the process id, or 0 when unknown (a reattached plugin configured without
	 * one)
	 */
	long pid();

	/**
	 * @return whether the host launched it, and so owns and kills it
	 */
	boolean launched();

	/**
	 * @return whether it is running (an unknown process counts as running)
	 */
	boolean isAlive();

	/**
	 * @return completes when the process exits; never, when it cannot be watched
	 */
	CompletableFuture<?> onExit();

	/**
	 * @return the exit status, or {@code null} while running or when unknown
	 */
	Integer exitValue();

	/**
	 * @param timeout how long to wait
	 * @return whether it exited
	 */
	boolean waitFor(Duration timeout);

	/**
	 * Remembers its current descendants, so {@link #kill()} still finds them once they
	 * were re-parented.
	 */
	void rememberDescendants();

	/**
	 * Kills it with every descendant and its process group, if the host owns it; a no-op
	 * otherwise.
	 */
	void kill();

	/**
	 * Waits for the first line the plugin prints on stdout: its handshake line.
	 * @param timeout how long to wait from now
	 * @param startTimeout the configured start timeout, for the message
	 * @return the line
	 * @throws HandshakeException if the plugin exits, closes stdout or stays silent first
	 * @throws IllegalStateException for a plugin the host did not launch
	 */
	String awaitHandshakeLine(Duration timeout, Duration startTimeout) throws HandshakeException;

	/**
	 * @return its last stderr lines, formatted for an error message (empty when the host
	 * cannot see them)
	 */
	String recentStderr();

}
