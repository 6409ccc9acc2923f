package io.pluginrpc.host;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.pluginrpc.core.tls.PreparedClientTls;
import io.pluginrpc.core.transport.Transports;

/**
 * Keeps one fresh AutoMTLS certificate and its client TLS context ready, made in the background, so
 * P-521 key generation and building the TLS context (and, the first time, loading the JDK's EC and TLS
 * classes) are off the critical path of a plugin launch. Each is handed out once: every
 * launch still gets fresh keys.
 */
final class CertificateSupply {

	private static final ExecutorService generator = Executors
		.newSingleThreadExecutor(Transports.daemonThreads("plugin-automtls-keygen"));

	private static CompletableFuture<PreparedClientTls> next;

	private CertificateSupply() {
	}

	/** Starts generating the next certificate, if none is on its way. */
	static synchronized void prefetch() {
		if (next == null) {
			next = CompletableFuture.supplyAsync(PreparedClientTls::prepare, generator);
		}
	}

	/** @return material no one else got; the next is prepared in the background */
	static synchronized PreparedClientTls take() {
		prefetch();
		CompletableFuture<PreparedClientTls> ready = next;
		next = CompletableFuture.supplyAsync(PreparedClientTls::prepare, generator);
		return ready.join();
	}

}
