package io.pluginrpc.host;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.pluginrpc.core.tls.PreparedClientTls;
import io.pluginrpc.core.transport.Transports;

/**
 * Keeps one fresh AutoMTLS certificate and its client TLS context ready, made in the
 * background, so P-521 key generation and building the TLS context (and, the first time,
 * loading the JDK's EC and TLS classes) are off the critical path of a plugin launch.
 * Each is handed out once: every launch still gets fresh keys.
 */
final class CertificateSupply implements AutoCloseable {

	private ExecutorService generator;

	private CompletableFuture<PreparedClientTls> next;

	/** Starts generating the next certificate, if none is on its way. */
	synchronized void prefetch() {
		if (this.next == null) {
			this.next = generate();
		}
	}

	/**
	 * @return material no one else got; the next is prepared in the background
	 */
	synchronized PreparedClientTls take() {
		prefetch();
		CompletableFuture<PreparedClientTls> ready = this.next;
		this.next = generate();
		return ready.join();
	}

	private CompletableFuture<PreparedClientTls> generate() {
		if (this.generator == null) {
			this.generator = Executors.newSingleThreadExecutor(Transports.daemonThreads("plugin-automtls-keygen"));
		}
		return CompletableFuture.supplyAsync(PreparedClientTls::prepare, this.generator);
	}

	/** Stops the background thread; a later {@link #take()} starts it again. */
	@Override
	public synchronized void close() {
		if (this.generator != null) {
			this.generator.shutdownNow();
			this.generator = null;
		}
		this.next = null;
	}

}
