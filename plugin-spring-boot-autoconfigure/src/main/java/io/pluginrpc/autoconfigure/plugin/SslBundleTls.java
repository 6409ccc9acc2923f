package io.pluginrpc.autoconfigure.plugin;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;

import io.pluginrpc.core.tls.TlsIdentity;
import io.pluginrpc.plugin.PluginStartupException;

/**
 * Turns a Spring SSL bundle into the plugin's TLS identity (go-plugin's
 * {@code TLSProvider}): the key store's key entry and its certificate, and every
 * certificate of the trust store as the certificates a host's client certificate must
 * chain to.
 */
final class SslBundleTls {

	private static final String PROPERTY = PluginServerProperties.PREFIX + ".tls.bundle";

	private SslBundleTls() {
	}

	/**
	 * @param name the bundle's name, for messages
	 * @param bundle the bundle
	 * @return the identity
	 * @throws PluginStartupException naming the bundle when it lacks a key, a certificate
	 * or trust
	 */
	static TlsIdentity identity(String name, SslBundle bundle) {
		KeyStore keyStore = bundle.getStores().getKeyStore();
		KeyStore trustStore = bundle.getStores().getTrustStore();
		if (keyStore == null) {
			throw failure(name, "has no key store; the plugin needs its own certificate and private key", null);
		}
		if (trustStore == null) {
			throw failure(name, "has no trust store; the plugin verifies the host's client certificate against it",
					null);
		}
		try {
			String alias = keyAlias(name, keyStore, bundle.getKey());
			PrivateKey key = privateKey(name, keyStore, alias, bundle);
			if (!(keyStore.getCertificate(alias) instanceof X509Certificate certificate)) {
				throw failure(name, "has no X.509 certificate for the key '" + alias + "'", null);
			}
			List<X509Certificate> trusted = new ArrayList<>();
			for (String entry : Collections.list(trustStore.aliases())) {
				if (trustStore.getCertificate(entry) instanceof X509Certificate trustedCertificate) {
					trusted.add(trustedCertificate);
				}
			}
			if (trusted.isEmpty()) {
				throw failure(name, "has a trust store without certificates; the plugin verifies the host's client "
						+ "certificate against them", null);
			}
			return new TlsIdentity(certificate, key, trusted);
		}
		catch (GeneralSecurityException ex) {
			throw failure(name, "could not be read: " + ex.getMessage(), ex);
		}
	}

	private static String keyAlias(String name, KeyStore keyStore, SslBundleKey key) throws GeneralSecurityException {
		if (key != null && key.getAlias() != null) {
			if (!keyStore.isKeyEntry(key.getAlias())) {
				throw failure(name, "has no key entry '" + key.getAlias() + "' (its key.alias)", null);
			}
			return key.getAlias();
		}
		for (String alias : Collections.list(keyStore.aliases())) {
			if (keyStore.isKeyEntry(alias)) {
				return alias;
			}
		}
		throw failure(name, "has a key store without a private key", null);
	}

	private static PrivateKey privateKey(String name, KeyStore keyStore, String alias, SslBundle bundle)
			throws GeneralSecurityException {
		String keyPassword = (bundle.getKey() != null) ? bundle.getKey().getPassword() : null;
		String storePassword = bundle.getStores().getKeyStorePassword();
		// PEM bundles keep the key without a password; JKS and PKCS#12 use the key's or
		// else the store's.
		for (String password : new String[] { keyPassword, storePassword, "" }) {
			if (password == null) {
				continue;
			}
			try {
				if (keyStore.getKey(alias, password.toCharArray()) instanceof PrivateKey key) {
					return key;
				}
			}
			catch (java.security.UnrecoverableKeyException ex) {
				// Try the next password.
			}
		}
		throw failure(name, "has a key '" + alias + "' that none of key.password and the key store password unlocks",
				null);
	}

	private static PluginStartupException failure(String name, String problem, Throwable cause) {
		return new PluginStartupException(PROPERTY + " names the SSL bundle '" + name + "', which " + problem, cause);
	}

}
