package io.pluginrpc.host;

import java.io.IOException;
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandshakeTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pluginrpc.core.broker.GrpcBroker;
import io.pluginrpc.core.mux.BrokerMultiplexer;
import io.pluginrpc.core.mux.MultiplexedDialer;
import io.pluginrpc.core.handshake.HandshakeException;
import io.pluginrpc.core.handshake.HandshakeLine;
import io.pluginrpc.core.tls.AutoMtlsCertificate;
import io.pluginrpc.core.tls.TlsIdentity;
import io.pluginrpc.core.transport.Transports;
import io.pluginrpc.proto.plugin.GRPCBrokerGrpc;
import io.pluginrpc.proto.plugin.GRPCStdioGrpc;

/**
 * Reaches a plugin once its address is known, as go-plugin's host does right after the
 * handshake: picks the TLS identity, dials, checks health service {@code plugin}, then
 * opens the broker and stdio streams. Like go-plugin it does not require the health
 * service: a plugin without one (several non-Go implementations) is started with a
 * warning, and its health is then judged from its process.
 */
final class PluginConnector {

	private static final Logger logger = LoggerFactory.getLogger(PluginConnector.class);

	private final String name;

	PluginConnector(String name) {
		this.name = name;
	}

	/**
	 * The TLS identity the host connects with: AutoMTLS pinned to the plugin's
	 * certificate, the configured explicit TLS, or plaintext ({@code null}).
	 * @param own the host's AutoMTLS certificate, or {@code null} when AutoMTLS is off
	 * @param configured explicit TLS, or {@code null}
	 * @param handshake the plugin's line
	 * @return the identity, or {@code null} for plaintext
	 */
	TlsIdentity tls(AutoMtlsCertificate own, TlsIdentity configured, HandshakeLine handshake) {
		X509Certificate pluginCertificate;
		try {
			pluginCertificate = handshake.certificate();
		}
		catch (HandshakeException ex) {
			throw new PluginStartException(this.name, PluginStartException.Reason.HANDSHAKE, ex.getMessage(), ex);
		}
		if (own != null) {
			if (pluginCertificate == null) {
				throw StartFailureDiagnosis.noCertificate(this.name);
			}
			return TlsIdentity.autoMtls(own, pluginCertificate);
		}
		if (pluginCertificate != null && configured == null) {
			throw StartFailureDiagnosis.plaintextToTls(this.name);
		}
		return configured;
	}

	/**
	 * Dials the plugin and checks its health.
	 * @param runner its process
	 * @param handshake where it listens
	 * @param tls the identity to connect with, or {@code null}
	 * @param prepared a TLS context made ahead for AutoMTLS, or {@code null}
	 * @param sockets the socket paths of this start (broker sockets go into its
	 * directory)
	 * @param tlsMode for messages and accessors
	 * @param timeout how long the health check may take
	 * @param multiplex whether the plugin agreed to gRPC broker multiplexing: then the
	 * host dials its address once, as the yamux client, and the channel and the broker
	 * ride on that session
	 * @return the connection; the caller releases it if anything later fails
	 * @throws PluginStartException if the plugin cannot be reached or is not serving
	 */
	PluginConnection connect(PluginRunner runner, HandshakeLine handshake, TlsIdentity tls, SslContext prepared,
			PluginSockets sockets, String tlsMode, Duration timeout, boolean multiplex) {
		String owner = "Plugin '" + this.name + "'";
		BrokerMultiplexer multiplexer = multiplex ? multiplexer(owner, handshake, sockets) : null;
		SocketAddress address;
		try {
			address = (multiplexer != null) ? Transports.unixSocketAddress(multiplexer.mainEndpoint().toString())
					: Transports.socketAddress(handshake.network(), handshake.address());
		}
		catch (IOException ex) {
			multiplexer.close();
			throw new PluginStartException(this.name, PluginStartException.Reason.CONNECT,
					owner + ": could not open the local endpoint of the multiplexed connection: " + ex.getMessage(),
					ex);
		}
		ManagedChannel managed = ((prepared != null) ? Transports.channelBuilderWithContext(address, prepared)
				: Transports.channelBuilder(address, tls))
			.build();
		// The broker owns the multiplexer: closing it ends the yamux session.
		GrpcBroker broker = new GrpcBroker(owner, sockets.directory(), tls, GrpcBroker.DEFAULT_TIMEOUT, multiplexer);
		PluginConnection connection = new PluginConnection(runner, handshake, managed, broker, sockets, Instant.now(),
				tlsMode, true);
		try {
			boolean healthService = ping(connection, timeout);
			return healthService ? connection : connection.withoutHealthService();
		}
		catch (RuntimeException ex) {
			broker.close();
			managed.shutdownNow();
			throw ex;
		}
	}

	/**
	 * Dials the plugin's one multiplexed connection, as go-plugin's client muxer does
	 * eagerly.
	 */
	private BrokerMultiplexer multiplexer(String owner, HandshakeLine handshake, PluginSockets sockets) {
		try {
			return MultiplexedDialer.dial(owner, handshake.network(), handshake.address(), sockets.directory(),
					GrpcBroker.DEFAULT_TIMEOUT);
		}
		catch (IOException ex) {
			throw new PluginStartException(this.name, PluginStartException.Reason.CONNECT,
					owner + ": could not dial " + handshake.network() + " " + handshake.address()
							+ " for the multiplexed connection: " + ex.getMessage(),
					ex);
		}
	}

	/**
	 * Opens the broker and the stdio stream on a healthy connection, as go-plugin's host
	 * does.
	 */
	void open(PluginConnection connection) {
		connection.broker().connect(GRPCBrokerGrpc.newStub(connection.channel()));
		new PluginStdioForwarder(this.name).follow(GRPCStdioGrpc.newStub(connection.channel()));
	}

	/**
	 * Checks health service {@code plugin}: the plugin listens before it prints its
	 * handshake line, so the call does not wait for the connection to become ready; a
	 * socket nobody listens on or a TLS mismatch fails at once with the connection's
	 * error instead of at the start deadline. The call also ends as soon as a launched
	 * plugin's process exits, naming its exit status.
	 * @return whether the plugin serves the health service (it is SERVING then)
	 */
	private boolean ping(PluginConnection connection, Duration timeout) {
		Context.CancellableContext call = Context.current().withCancellation();
		PluginRunner runner = connection.runner();
		runner.onExit().thenRun(() -> call.cancel(new PluginExitedException(runner.exitValue())));
		Instant deadline = Instant.now().plus(timeout);
		try {
			ServingStatus status = call.call(() -> check(connection, deadline));
			if (status != ServingStatus.SERVING) {
				throw StartFailureDiagnosis.notServing(this.name, status);
			}
			return true;
		}
		catch (StatusRuntimeException ex) {
			if (isMissingHealthService(ex.getStatus())) {
				logger.warn(
						"Plugin '{}' serves no health service 'plugin' ({}); go-plugin does not require one, so it is"
								+ " started, and its health is judged from its process",
						this.name, StatusText.of(ex.getStatus()));
				return false;
			}
			// A plugin that exits right after its handshake line takes its socket along:
			// its exit status says
			// more than the refused connection, so give the exit a moment to be noticed.
			if (runner.launched() && StartFailureDiagnosis.isConnectFailure(ex.getStatus().getCause())
					&& runner.waitFor(Duration.ofMillis(200))) {
				call.cancel(new PluginExitedException(runner.exitValue()));
			}
			if (call.cancellationCause() instanceof PluginExitedException exited) {
				throw StartFailureDiagnosis.exitedAfterHandshake(this.name, connection, exited.status, ex);
			}
			throw StartFailureDiagnosis.healthCheckFailed(this.name, connection, ex);
		}
		catch (PluginStartException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new PluginStartException(this.name, PluginStartException.Reason.CONNECT,
					"Plugin '" + this.name + "': the health check of service 'plugin' failed: " + ex, ex);
		}
		finally {
			call.cancel(null);
		}
	}

	/**
	 * One health check, fail-fast; when the TLS handshake timed out (Netty gives it 10 s,
	 * which a cold JVM plugin on a busy machine can need for its first P-521 handshake)
	 * one more that waits for the connection until the start deadline: a slow peer is not
	 * a TLS mismatch, which fails at once either way.
	 */
	private ServingStatus check(PluginConnection connection, Instant deadline) {
		HealthCheckRequest request = HealthCheckRequest.newBuilder().setService("plugin").build();
		try {
			return HealthGrpc.newBlockingStub(connection.channel())
				.withDeadlineAfter(Math.max(1000, Duration.between(Instant.now(), deadline).toMillis()),
						TimeUnit.MILLISECONDS)
				.check(request)
				.getStatus();
		}
		catch (StatusRuntimeException ex) {
			long left = Duration.between(Instant.now(), deadline).toMillis();
			if (!isHandshakeTimeout(ex) || left <= 0) {
				throw ex;
			}
			logger.info("Plugin '{}': the TLS handshake timed out; waiting up to {} ms more for the connection",
					this.name, left);
			return HealthGrpc.newBlockingStub(connection.channel())
				.withWaitForReady()
				.withDeadlineAfter(left, TimeUnit.MILLISECONDS)
				.check(request)
				.getStatus();
		}
	}

	private static boolean isHandshakeTimeout(StatusRuntimeException ex) {
		for (Throwable cause = ex.getStatus().getCause(); cause != null; cause = cause.getCause()) {
			if (cause instanceof SslHandshakeTimeoutException) {
				return true;
			}
		}
		return false;
	}

	/**
	 * UNIMPLEMENTED: no health service at all; NOT_FOUND: a health service that does not
	 * know {@code plugin}.
	 */
	private static boolean isMissingHealthService(Status status) {
		return status.getCode() == Status.Code.UNIMPLEMENTED || status.getCode() == Status.Code.NOT_FOUND;
	}

	/** Why a health check was given up: the plugin's process is gone. */
	private static final class PluginExitedException extends RuntimeException {

		private final Integer status;

		PluginExitedException(Integer status) {
			super("the plugin exited with status " + status, null, false, false);
			this.status = status;
		}

	}

}
