package io.pluginrpc.core.tls;

import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly one server certificate, named after the trust manager is built: the
 * AutoMTLS certificate a plugin announced in its handshake line. go-plugin's host trusts
 * that certificate as its only root; since the plugin presents that very certificate,
 * accepting exactly it is the same check (a little stricter), and it lets the host build
 * its TLS context before the plugin has answered.
 */
public final class PinnedCertificateTrustManager extends X509ExtendedTrustManager {

	private volatile String peer = "The plugin";

	private volatile X509Certificate pinned;

	/**
	 * @param peer who presents the certificate, for messages (e.g. {@code Plugin 'kv'})
	 * @param certificate the only certificate to accept from now on
	 */
	public void pin(String peer, X509Certificate certificate) {
		this.peer = peer;
		this.pinned = certificate;
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
		X509Certificate expected = this.pinned;
		if (expected == null) {
			throw new CertificateException(
					this.peer + ": no certificate to trust yet (the handshake line has not been read)");
		}
		if (chain == null || chain.length == 0) {
			throw new CertificateException(
					this.peer + " presented no certificate; expected the one of its handshake line ("
							+ fingerprint(expected) + ")");
		}
		if (!chain[0].equals(expected)) {
			throw new CertificateException(this.peer + " presented certificate " + fingerprint(chain[0]) + " ("
					+ chain[0].getSubjectX500Principal() + "), not the one of its handshake line ("
					+ fingerprint(expected) + ")");
		}
		expected.checkValidity();
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
			throws CertificateException {
		checkServerTrusted(chain, authType);
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
			throws CertificateException {
		checkServerTrusted(chain, authType);
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
		throw new CertificateException("A pinned server certificate is only for clients of " + this.peer);
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
			throws CertificateException {
		checkClientTrusted(chain, authType);
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
			throws CertificateException {
		checkClientTrusted(chain, authType);
	}

	@Override
	public X509Certificate[] getAcceptedIssuers() {
		X509Certificate expected = this.pinned;
		return (expected != null) ? new X509Certificate[] { expected } : new X509Certificate[0];
	}

	/**
	 * @return {@code SHA-256:<hex>} of the DER encoding
	 */
	static String fingerprint(X509Certificate certificate) {
		try {
			return "SHA-256:"
					+ HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
		}
		catch (NoSuchAlgorithmException | CertificateEncodingException ex) {
			return certificate.getSubjectX500Principal().getName();
		}
	}

}
