package io.pluginrpc.host;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;

import io.pluginrpc.core.handshake.HandshakeException;
import io.pluginrpc.core.handshake.HandshakeLine;
import io.pluginrpc.core.tls.AutoMtlsCertificate;
import io.pluginrpc.core.tls.PreparedClientTls;
import io.pluginrpc.core.tls.TlsIdentity;
import io.pluginrpc.logging.PluginLogForwarder;

/**
 * One attempt to start a plugin, up to a healthy connection: verify the executable,
 * launch it with its environment, read and judge its handshake line, pick TLS and
 * connect; or attach to a plugin someone else started. What it made so far is released by
 * {@link #abandon()} when a step fails.
 */
final class PluginStart {

	private final PluginClientConfig config;

	private final PluginHost host;

	private final PluginConnector connector;

	private final PluginEventListener events;

	private final Instant begin = Instant.now();

	private PluginSockets sockets;

	private PluginRunner runner;

	private PluginConnection connection;

	PluginStart(PluginClientConfig config, PluginHost host, PluginConnector connector, PluginEventListener events) {
		this.config = config;
		this.host = host;
		this.connector = connector;
		this.events = events;
	}

	/**
	 * @return when the attempt began
	 */
	Instant begin() {
		return this.begin;
	}

	/**
	 * @param log receives the plugin's stderr lines
	 * @param launcher starts the process
	 * @return a healthy connection to the launched plugin
	 * @throws PluginStartException naming the plugin and what went wrong
	 */
	PluginConnection launch(PluginLogForwarder log, PluginRunner.Launcher launcher) {
		if (this.config.checksum() != null) {
			Path executable = ChecksumVerifier.resolveExecutable(this.config.name(), this.config.command().get(0),
					this.config.workingDirectory());
			ChecksumVerifier.verify(this.config.name(), this.config.checksum(), executable);
		}
		PreparedClientTls prepared = this.config.autoMtls() ? this.host.certificates().take() : null;
		AutoMtlsCertificate own = (prepared != null) ? prepared.certificate() : null;
		this.sockets = PluginSockets.create(this.host.processes(), this.config.socketDirectory(),
				this.config.socketGroup());
		Map<String, String> environment = LaunchEnvironment.of(this.config, System.getenv(), own,
				this.sockets.directory());
		this.runner = launcher.launch(this.config, environment, log, this.host.processes());
		HandshakeLine handshake;
		try {
			String line = this.runner.awaitHandshakeLine(remaining(), this.config.startTimeout());
			// Before the line is judged: the socket of a rejected line is removed too.
			this.sockets.claim(line, this.begin, environment);
			handshake = HandshakeLine.parse(this.config.name(), line, this.config.versions(),
					this.config.grpcBrokerMultiplex());
		}
		catch (HandshakeException ex) {
			throw StartFailureDiagnosis.handshake(this.config.name(), ex, this.runner);
		}
		this.events.handshake(this.config.name(), Duration.between(this.begin, Instant.now()));
		TlsIdentity tls = this.connector.tls(own, this.config.tls(), handshake);
		SslContext context = (prepared != null)
				? prepared.pin("Plugin '" + this.config.name() + "'", tls.trusted().get(0)) : null;
		String tlsMode = (tls == null) ? "plaintext" : (own != null) ? "auto-mtls" : "mtls";
		this.connection = this.connector.connect(this.runner, handshake, tls, context, this.sockets, tlsMode,
				remaining(), this.config.grpcBrokerMultiplex());
		return this.connection;
	}

	/**
	 * @return a healthy connection to the running plugin named by the reattach
	 * configuration
	 * @throws PluginStartException naming the plugin and what went wrong
	 */
	PluginConnection attach() {
		ReattachConfig reattach = this.config.reattach();
		this.runner = AttachedRunner.attach(this.config.name(), reattach.pid());
		this.sockets = PluginSockets.create(this.host.processes(), this.config.socketDirectory());
		HandshakeLine handshake = new HandshakeLine(HandshakeLine.CORE_PROTOCOL_VERSION, reattach.protocolVersion(),
				reattach.network(), reattach.address(), HandshakeLine.PROTOCOL_GRPC, null, null);
		TlsIdentity tls = this.config.tls();
		this.connection = this.connector.connect(this.runner, handshake, tls, null, this.sockets,
				(tls == null) ? "plaintext" : "mtls", remaining(), false);
		return this.connection;
	}

	/**
	 * Releases what the attempt made: the connection, the process (if launched) and the
	 * socket paths.
	 */
	void abandon() {
		if (this.connection != null) {
			this.connection.release();
			return;
		}
		if (this.runner != null) {
			this.runner.kill();
		}
		if (this.sockets != null) {
			this.sockets.release();
		}
	}

	private Duration remaining() {
		Duration left = this.config.startTimeout().minus(Duration.between(this.begin, Instant.now()));
		return left.isNegative() ? Duration.ZERO : left;
	}

}
