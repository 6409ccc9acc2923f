package io.pluginrpc.plugin;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.pluginrpc.core.PluginEnvironment;
import io.pluginrpc.core.tls.AutoMtlsCertificate;

/**
 * The plugin's own AutoMTLS certificate, generated on a background thread from the moment
 * the plugin knows the host wants AutoMTLS, so P-521 key generation overlaps the
 * application's start instead of delaying the handshake. Each certificate is handed out
 * once. The plugin's entry point creates one instance as early as it can and passes it to
 * {@link PluginServer#prepare(PluginServerSettings, io.grpc.protobuf.services.HealthStatusManager, EarlyCertificate)}.
 */
public final class EarlyCertificate {

	private CompletableFuture<AutoMtlsCertificate> pending;

	/**
	 * Starts generating when the host sent {@code PLUGIN_CLIENT_CERT} and no generation
	 * is on its way.
	 * @param environment the process environment
	 */
	public synchronized void startIfRequested(Map<String, String> environment) {
		String clientCert = environment.get(PluginEnvironment.CLIENT_CERT);
		if (this.pending != null || clientCert == null || clientCert.isEmpty()) {
			return;
		}
		CompletableFuture<AutoMtlsCertificate> future = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				future.complete(AutoMtlsCertificate.generate());
			}
			catch (Throwable ex) {
				future.completeExceptionally(ex);
			}
		}, "plugin-automtls-keygen");
		thread.setDaemon(true);
		thread.start();
		this.pending = future;
	}

	/**
	 * @return whether a certificate is being generated or waits to be taken
	 */
	synchronized boolean isPending() {
		return this.pending != null;
	}

	/**
	 * @return the certificate started early, or a new one when none was started
	 */
	public synchronized AutoMtlsCertificate take() {
		CompletableFuture<AutoMtlsCertificate> future = this.pending;
		this.pending = null;
		if (future == null) {
			return AutoMtlsCertificate.generate();
		}
		try {
			return future.join();
		}
		catch (CompletionException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime
					: new IllegalStateException("Could not generate the AutoMTLS certificate", ex.getCause());
		}
	}

}
