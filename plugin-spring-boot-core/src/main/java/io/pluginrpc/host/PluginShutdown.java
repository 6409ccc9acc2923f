package io.pluginrpc.host;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pluginrpc.proto.plugin.Empty;
import io.pluginrpc.proto.plugin.GRPCControllerGrpc;

/**
 * Ends one connection the go-plugin way, with deadlines (go-plugin waits forever for the
 * Shutdown call): {@code GRPCController/Shutdown}, up to {@code stop-timeout} for the
 * process to exit, then SIGKILL for it and its descendants, and the socket paths removed.
 * A reattached plugin is asked to shut down (unless in go-plugin's test mode) but never
 * killed: the host did not start it.
 */
final class PluginShutdown {

	private static final Logger logger = LoggerFactory.getLogger(PluginShutdown.class);

	private PluginShutdown() {
	}

	/**
	 * @param config the plugin's configuration
	 * @param connection the connection to end
	 * @return how the process ended: {@code stopped} (on request), {@code killed} (not in
	 * time), or {@code detached} (reattached, left running)
	 */
	static String stop(PluginClientConfig config, PluginConnection connection) {
		PluginRunner runner = connection.runner();
		if (!runner.launched()) {
			if (!config.reattach().test()) {
				requestShutdown(config, connection);
			}
			connection.release();
			return "detached";
		}
		// One stop-timeout covers the Shutdown request and the wait for the exit.
		Instant deadline = Instant.now().plus(config.stopTimeout());
		runner.rememberDescendants();
		if (runner.isAlive()) {
			requestShutdown(config, connection);
		}
		// The host's side closes first, so the plugin's graceful stop does not wait for
		// it; closed once.
		connection.close();
		Duration left = Duration.between(Instant.now(), deadline);
		boolean graceful = runner.waitFor(left.isNegative() ? Duration.ZERO : left);
		if (!graceful) {
			logger.warn("Plugin '{}' (pid {}) did not exit within {} ms of the Shutdown request; killing it",
					config.name(), runner.pid(), config.stopTimeout().toMillis());
		}
		connection.releaseProcess();
		return graceful ? "stopped" : "killed";
	}

	/** Failures only mean less grace: the process is killed after the deadline anyway. */
	private static void requestShutdown(PluginClientConfig config, PluginConnection connection) {
		try {
			GRPCControllerGrpc.newBlockingStub(connection.channel())
				.withDeadlineAfter(config.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)
				.shutdown(Empty.getDefaultInstance());
		}
		catch (StatusRuntimeException ex) {
			logger.debug("Plugin '{}': Shutdown request failed ({})", config.name(), ex.getStatus());
		}
	}

}
