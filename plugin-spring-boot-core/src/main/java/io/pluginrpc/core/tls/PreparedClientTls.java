package io.pluginrpc.core.tls;

import java.security.cert.X509Certificate;

import javax.net.ssl.SSLException;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;

/**
 * A host's AutoMTLS material made before a launch: a fresh certificate and a client TLS
 * context that presents it and trusts whatever certificate is pinned later. Building the
 * context costs several milliseconds (much more in a cold JVM); prepared ahead, that time
 * no longer adds to the wait for the plugin's handshake line. Used once, for one launch.
 */
public final class PreparedClientTls {

	private final AutoMtlsCertificate own;

	private final PinnedCertificateTrustManager trust;

	private final SslContext context;

	private PreparedClientTls(AutoMtlsCertificate own, PinnedCertificateTrustManager trust, SslContext context) {
		this.own = own;
		this.trust = trust;
		this.context = context;
	}

	/**
	 * Generates a certificate and builds the context around it.
	 * @return the prepared material
	 */
	public static PreparedClientTls prepare() {
		AutoMtlsCertificate own = AutoMtlsCertificate.generate();
		PinnedCertificateTrustManager trust = new PinnedCertificateTrustManager();
		try {
			// The JDK provider: netty-shaded's BoringSSL cannot verify P-521 signatures
			// (stack.md).
			SslContext context = GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK)
				.keyManager(own.privateKey(), own.certificate())
				.trustManager(trust)
				.protocols("TLSv1.3", "TLSv1.2")
				.build();
			return new PreparedClientTls(own, trust, context);
		}
		catch (SSLException ex) {
			throw new IllegalStateException("Could not set up the host's AutoMTLS context: " + ex.getMessage(), ex);
		}
	}

	/**
	 * @return the own certificate, sent to the plugin as {@code PLUGIN_CLIENT_CERT}
	 */
	public AutoMtlsCertificate certificate() {
		return this.own;
	}

	/**
	 * Pins the certificate the plugin announced.
	 * @param peer the plugin, for messages (e.g. {@code Plugin 'kv'})
	 * @param pluginCertificate the certificate of the handshake line
	 * @return the client context, trusting exactly that certificate
	 */
	public SslContext pin(String peer, X509Certificate pluginCertificate) {
		this.trust.pin(peer, pluginCertificate);
		return this.context;
	}

}
