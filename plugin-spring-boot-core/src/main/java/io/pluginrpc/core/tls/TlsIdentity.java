package io.pluginrpc.core.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLException;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;

/**
 * One side's mutual-TLS setup: its own certificate and key, and the peer certificates it
 * trusts. Both the host and the plugin use the same identity for every role they play
 * (main connection, broker servers, broker dials), which is how go-plugin's AutoMTLS pins
 * each side to the other's certificate.
 *
 * @param certificate own certificate
 * @param privateKey own private key
 * @param trusted peer certificates to trust (with AutoMTLS: exactly the peer's
 * self-signed one)
 */
public record TlsIdentity(X509Certificate certificate, PrivateKey privateKey, List<X509Certificate> trusted) {

	/**
	 * Host name both sides verify, as go-plugin does (the AutoMTLS certificates carry SAN
	 * localhost).
	 */
	public static final String AUTHORITY = "localhost";

	public TlsIdentity {
		trusted = List.copyOf(trusted);
	}

	/**
	 * An AutoMTLS identity: own generated certificate, trusting only the peer's.
	 * @param own own certificate and key
	 * @param peer the peer's certificate
	 * @return the identity
	 */
	public static TlsIdentity autoMtls(AutoMtlsCertificate own, X509Certificate peer) {
		return new TlsIdentity(own.certificate(), own.privateKey(), List.of(peer));
	}

	/**
	 * A server context that requires and verifies a client certificate.
	 * @return the context
	 * @throws SSLException if the key material is unusable
	 */
	public SslContext serverContext() throws SSLException {
		SslContextBuilder builder = GrpcSslContexts
			.configure(SslContextBuilder.forServer(this.privateKey, this.certificate), SslProvider.JDK)
			.trustManager(this.trusted.toArray(X509Certificate[]::new))
			.clientAuth(ClientAuth.REQUIRE);
		return builder.protocols("TLSv1.3", "TLSv1.2").build();
	}

	/**
	 * A client context that presents the own certificate and trusts only the peer's.
	 * @return the context
	 * @throws SSLException if the key material is unusable
	 */
	public SslContext clientContext() throws SSLException {
		// The JDK provider: netty-shaded's BoringSSL cannot verify P-521 certificate
		// signatures (stack.md).
		SslContextBuilder builder = GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK)
			.keyManager(this.privateKey, this.certificate)
			.trustManager(this.trusted.toArray(X509Certificate[]::new));
		return builder.protocols("TLSv1.3", "TLSv1.2").build();
	}

}
