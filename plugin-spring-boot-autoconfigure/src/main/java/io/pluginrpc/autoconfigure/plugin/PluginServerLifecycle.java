package io.pluginrpc.autoconfigure.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.grpc.ServerServiceDefinition;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

import io.pluginrpc.core.PluginEnvironment;
import io.pluginrpc.core.handshake.HandshakeLine;
import io.pluginrpc.core.handshake.VersionNegotiation;
import io.pluginrpc.plugin.InterruptSignal;
import io.pluginrpc.plugin.ParentWatchdog;
import io.pluginrpc.plugin.PluginParent;
import io.pluginrpc.plugin.PluginServer;
import io.pluginrpc.plugin.PluginStartupException;

/**
 * Serves the plugin once the application is up: negotiates the version with the host,
 * starts the {@link PluginServer} with that version's services, writes the handshake
 * line, and from then on routes {@code System.out}/{@code System.err} to the host's
 * GRPCStdio stream. Runs last among lifecycles so the host connects only to a fully
 * started application, and stops first.
 */
public class PluginServerLifecycle implements SmartLifecycle {

	/** Late start, early stop. */
	public static final int PHASE = Integer.MAX_VALUE - 1000;

	private static final Log logger = LogFactory.getLog(PluginServerLifecycle.class);

	private final PluginServer server;

	private final PluginServiceSelector selector;

	private final PluginServerProperties properties;

	private final StdioRedirect stdio;

	private final PluginHandshakeOutput handshakeOutput;

	private final PluginExit exit;

	private final String debugPluginName;

	private final PluginParent parent;

	private volatile ParentWatchdog watchdog;

	private volatile boolean running;

	PluginServerLifecycle(PluginServer server, PluginServiceSelector selector, PluginServerProperties properties,
			StdioRedirect stdio, PluginHandshakeOutput handshakeOutput, PluginExit exit, String debugPluginName,
			PluginParent parent) {
		this.server = server;
		this.parent = parent;
		this.debugPluginName = debugPluginName;
		this.selector = selector;
		this.properties = properties;
		this.stdio = stdio;
		this.handshakeOutput = handshakeOutput;
		this.exit = exit;
	}

	@Override
	public void start() {
		Set<Integer> versions = this.selector.versions();
		if (versions.isEmpty()) {
			throw new PluginStartupException("plugin-server.magic-cookie-key is set, so this application is a plugin, "
					+ "but it has no @PluginService bean to serve; annotate a gRPC service implementation with @PluginService");
		}
		VersionNegotiation.Result negotiated = VersionNegotiation.negotiate(versions,
				System.getenv(PluginEnvironment.PROTOCOL_VERSIONS), logger::warn);
		if (!negotiated.agreed() && negotiated.hostVersions().isEmpty()) {
			logger.debug("The host sent no " + PluginEnvironment.PROTOCOL_VERSIONS
					+ " (a legacy host); serving version " + negotiated.version());
		}
		else if (!negotiated.agreed()) {
			logger.warn("The host offered protocol versions " + negotiated.hostVersions() + " (from "
					+ PluginEnvironment.PROTOCOL_VERSIONS + "), this plugin serves " + versions
					+ "; announcing version " + negotiated.version() + " as go-plugin does, the host will reject it");
		}
		List<ServerServiceDefinition> services = new ArrayList<>(this.selector.servicesFor(negotiated.version()));
		services.add(this.stdio.service().bindService());
		addReflectionV1Alpha(services);
		this.server.setDirectExecutor(this.properties.isDirectExecutor());
		HandshakeLine handshake = this.server.start(negotiated.version(), services, this.exit::exit);
		if (this.properties.isDebug()) {
			startDebugging();
			return;
		}
		InterruptSignal.ignore();
		this.handshakeOutput.write(handshake.format());
		this.stdio.install();
		if (this.properties.isParentWatchdog()) {
			this.watchdog = ParentWatchdog.start(this.parent, this.properties.getParentWatchdogInterval(), () -> {
				logger.warn("The host process is gone; stopping the plugin");
				this.exit.exit();
			});
		}
		keepAlive();
		this.running = true;
	}

	/**
	 * The server adds reflection v1; older clients (grpcurl before 1.8, many IDEs) still
	 * ask for v1alpha, which a gRPC server integration may serve already.
	 */
	@SuppressWarnings("deprecation")
	private static void addReflectionV1Alpha(List<ServerServiceDefinition> services) {
		ServerServiceDefinition v1alpha = io.grpc.protobuf.services.ProtoReflectionService.newInstance().bindService();
		String name = v1alpha.getServiceDescriptor().getName();
		if (services.stream().noneMatch((service) -> service.getServiceDescriptor().getName().equals(name))) {
			services.add(v1alpha);
		}
	}

	/**
	 * go-plugin's test mode: no host reads a handshake line, so stdout tells a developer
	 * (or a script) how to attach instead; SIGINT and SIGTERM stop the plugin, stdio
	 * stays where it is, and nothing watches the parent, which is a shell or an IDE.
	 */
	private void startDebugging() {
		this.handshakeOutput.write(this.server.reattachInfo().format(this.debugPluginName));
		logger.warn("Debug mode: serving without a host until stopped (SIGINT or SIGTERM); attach with the "
				+ "reattach configuration printed on stdout");
		keepAlive();
		this.running = true;
	}

	/**
	 * gRPC and epoll threads are daemons: without one live non-daemon thread the JVM
	 * would exit as soon as {@code main} returns. This one lives exactly as long as the
	 * server.
	 */
	private void keepAlive() {
		Thread thread = new Thread(() -> {
			try {
				this.server.awaitTermination();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, "plugin-server-await");
		thread.setDaemon(false);
		thread.start();
	}

	@Override
	public void stop() {
		this.running = false;
		if (this.watchdog != null) {
			this.watchdog.close();
		}
		this.server.close();
		this.stdio.close();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
