package io.pluginrpc.host;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.pluginrpc.core.tls.AutoMtlsCertificate;
import io.pluginrpc.core.transport.Transports;

/**
 * Keeps one fresh AutoMTLS certificate ready, generated in the background, so P-521 key generation
 * (and, the first time, loading BouncyCastle) is off the critical path of a plugin launch. Every
 * certificate is handed out once: each launch still gets fresh keys.
 */
final class CertificateSupply {

	private static final ExecutorService generator = Executors
		.newSingleThreadExecutor(Transports.daemonThreads("plugin-automtls-keygen"));

	private static CompletableFuture<AutoMtlsCertificate> next;

	private CertificateSupply() {
	}

	/** Starts generating the next certificate, if none is on its way. */
	static synchronized void prefetch() {
		if (next == null) {
			next = CompletableFuture.supplyAsync(AutoMtlsCertificate::generate, generator);
		}
	}

	/** @return a certificate no one else got; the next one is generated in the background */
	static synchronized AutoMtlsCertificate take() {
		prefetch();
		CompletableFuture<AutoMtlsCertificate> ready = next;
		next = CompletableFuture.supplyAsync(AutoMtlsCertificate::generate, generator);
		return ready.join();
	}

}
