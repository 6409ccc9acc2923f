package io.pluginrpc.autoconfigure.host;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

import io.pluginrpc.core.tls.TlsIdentity;

/**
 * Explicit mutual TLS from a Spring SSL bundle ({@code spring.ssl.bundle.pem.*} or
 * {@code .jks.*}): the key store's key entry is what the host presents, every certificate
 * of the trust store is what it trusts. go-plugin's TLS pins certificates instead of
 * checking host names, so only the stores are used.
 */
final class SslBundleTls {

	private SslBundleTls() {
	}

	static TlsIdentity identity(String plugin, String bundleName, SslBundles bundles) {
		if (bundles == null) {
			throw invalid(plugin, bundleName,
					"names an SSL bundle, but the application has no SslBundles (Spring Boot's"
							+ " SslAutoConfiguration is excluded)",
					null);
		}
		SslBundle bundle;
		try {
			bundle = bundles.getBundle(bundleName);
		}
		catch (NoSuchSslBundleException ex) {
			throw invalid(plugin, bundleName,
					"names SSL bundle '" + bundleName + "', which is not configured (declare it"
							+ " under spring.ssl.bundle.pem." + bundleName + " or spring.ssl.bundle.jks." + bundleName
							+ ")",
					ex);
		}
		KeyStore keyStore = bundle.getStores().getKeyStore();
		KeyStore trustStore = bundle.getStores().getTrustStore();
		if (keyStore == null || trustStore == null) {
			throw invalid(plugin, bundleName,
					"names SSL bundle '" + bundleName + "', which needs a keystore (the host's"
							+ " certificate and key) and a truststore (the plugin certificates to trust), but has "
							+ ((keyStore == null) ? "no keystore" : "no truststore"),
					null);
		}
		try {
			String alias = (bundle.getKey().getAlias() != null) ? bundle.getKey().getAlias() : firstKeyAlias(keyStore);
			if (alias == null || !keyStore.isKeyEntry(alias)) {
				throw invalid(plugin, bundleName,
						"names SSL bundle '" + bundleName + "', whose keystore holds no private key"
								+ ((alias != null) ? " under alias '" + alias + "'" : ""),
						null);
			}
			String password = (bundle.getKey().getPassword() != null) ? bundle.getKey().getPassword()
					: bundle.getStores().getKeyStorePassword();
			PrivateKey key = (PrivateKey) keyStore.getKey(alias, (password != null) ? password.toCharArray() : null);
			X509Certificate certificate = (X509Certificate) keyStore.getCertificate(alias);
			List<X509Certificate> trusted = new ArrayList<>();
			for (String entry : Collections.list(trustStore.aliases())) {
				Certificate trustedCertificate = trustStore.getCertificate(entry);
				if (trustedCertificate instanceof X509Certificate x509) {
					trusted.add(x509);
				}
			}
			if (trusted.isEmpty()) {
				throw invalid(plugin, bundleName,
						"names SSL bundle '" + bundleName + "', whose truststore holds no" + " certificate", null);
			}
			return new TlsIdentity(certificate, key, trusted);
		}
		catch (GeneralSecurityException | ClassCastException ex) {
			throw invalid(plugin, bundleName,
					"names SSL bundle '" + bundleName + "', whose key could not be read: " + ex, ex);
		}
	}

	private static String firstKeyAlias(KeyStore keyStore) throws GeneralSecurityException {
		for (String alias : Collections.list(keyStore.aliases())) {
			if (keyStore.isKeyEntry(alias)) {
				return alias;
			}
		}
		return null;
	}

	private static InvalidPluginConfigurationException invalid(String plugin, String bundleName, String problem,
			Throwable cause) {
		return new InvalidPluginConfigurationException(plugin, "tls.bundle", bundleName, problem, cause);
	}

}
