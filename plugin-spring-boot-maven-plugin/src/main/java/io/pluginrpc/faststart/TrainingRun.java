package io.pluginrpc.faststart;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;

import io.pluginrpc.core.PluginEnvironment;
import io.pluginrpc.core.handshake.HandshakeException;
import io.pluginrpc.core.handshake.HandshakeLine;
import io.pluginrpc.core.tls.AutoMtlsCertificate;
import io.pluginrpc.core.tls.TlsIdentity;
import io.pluginrpc.core.transport.Transports;
import io.pluginrpc.proto.plugin.Empty;
import io.pluginrpc.proto.plugin.GRPCControllerGrpc;

/**
 * One training run of a plugin, driven the way a go-plugin host drives it: launch with
 * the magic cookie and AutoMTLS, read the handshake, check the {@code plugin} health
 * service over the announced socket, then end it with {@code GRPCController/Shutdown} so
 * the JVM exits normally, which is when a JVM writes its AOT cache or CDS archive. The
 * plugin's stderr goes to this process's stderr.
 */
final class TrainingRun {

	private static final long HANDSHAKE_TIMEOUT_SECONDS = 120;

	/** Writing a JVM cache at exit takes seconds; on a busy machine much longer. */
	private static final long EXIT_TIMEOUT_SECONDS = 600;

	private final List<String> command;

	private final Map<String, String> environment;

	TrainingRun(List<String> command, Map<String, String> environment) {
		this.command = List.copyOf(command);
		this.environment = Map.copyOf(environment);
	}

	/**
	 * Runs the plugin once.
	 * @throws IOException if the plugin could not be started, did not answer as a plugin,
	 * or failed
	 */
	void run() throws IOException, InterruptedException {
		AutoMtlsCertificate hostCertificate = AutoMtlsCertificate.generate();
		ProcessBuilder builder = new ProcessBuilder(this.command).redirectError(ProcessBuilder.Redirect.INHERIT);
		builder.environment().keySet().removeIf((key) -> key.startsWith(PluginEnvironment.PREFIX));
		builder.environment().putAll(this.environment);
		builder.environment().put(PluginEnvironment.CLIENT_CERT, hostCertificate.pem());
		Process process = builder.start();
		ManagedChannel channel = null;
		try {
			HandshakeLine handshake = handshake(process);
			java.security.cert.X509Certificate pluginCertificate;
			try {
				pluginCertificate = handshake.certificate();
			}
			catch (HandshakeException ex) {
				throw new IOException(ex.getMessage(), ex);
			}
			if (pluginCertificate == null) {
				throw new IOException("The plugin answered without a certificate although the host asked for AutoMTLS");
			}
			channel = Transports
				.channelBuilder(Transports.socketAddress(handshake.network(), handshake.address()),
						TlsIdentity.autoMtls(hostCertificate, pluginCertificate))
				.build();
			ServingStatus status = HealthGrpc.newBlockingStub(channel)
				.withDeadlineAfter(60, TimeUnit.SECONDS)
				.check(HealthCheckRequest.newBuilder().setService("plugin").build())
				.getStatus();
			if (status != ServingStatus.SERVING) {
				throw new IOException("The plugin's 'plugin' health service answered " + status + ", expected SERVING");
			}
			GRPCControllerGrpc.newBlockingStub(channel)
				.withDeadlineAfter(60, TimeUnit.SECONDS)
				.shutdown(Empty.getDefaultInstance());
			if (!process.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				throw new IOException(
						"The plugin did not exit within " + EXIT_TIMEOUT_SECONDS + " s of GRPCController/Shutdown");
			}
			if (process.exitValue() != 0) {
				throw new IOException("The plugin exited with status " + process.exitValue() + " after Shutdown");
			}
		}
		finally {
			if (channel != null) {
				channel.shutdownNow();
			}
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
			process.waitFor(30, TimeUnit.SECONDS);
		}
	}

	private HandshakeLine handshake(Process process) throws IOException, InterruptedException {
		BufferedReader stdout = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
		CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
			try {
				return stdout.readLine();
			}
			catch (IOException ex) {
				return null;
			}
		});
		String text;
		try {
			text = line.get(HANDSHAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}
		catch (TimeoutException ex) {
			throw new IOException("The plugin printed no handshake line within " + HANDSHAKE_TIMEOUT_SECONDS + " s: "
					+ String.join(" ", this.command));
		}
		catch (ExecutionException ex) {
			throw new IOException(ex.getCause());
		}
		if (text == null) {
			throw new IOException("The plugin exited with status " + process.waitFor()
					+ " before printing its handshake line; is the magic cookie right? "
					+ String.join(" ", this.command));
		}
		try {
			String[] fields = text.split("\\|", -1);
			int version = (fields.length > 1 && fields[1].strip().matches("[0-9]{1,9}"))
					? Integer.parseInt(fields[1].strip()) : 1;
			return HandshakeLine.parse("training run", text, Set.of(version));
		}
		catch (HandshakeException ex) {
			throw new IOException(ex.getMessage(), ex);
		}
	}

}
