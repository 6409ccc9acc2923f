package io.pluginrpc.sample.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import io.pluginrpc.core.tls.AutoMtlsCertificate;

/**
 * Explicit TLS material for a host and a plugin, as PEM files: each side's self-signed
 * certificate (SAN localhost) and key, each trusting exactly the other's certificate.
 */
final class TlsMaterial {

	final AutoMtlsCertificate host = AutoMtlsCertificate.generate();

	final AutoMtlsCertificate plugin = AutoMtlsCertificate.generate();

	final Path dir;

	TlsMaterial(Path dir) {
		this.dir = dir;
		write("host.crt", this.host.pem());
		write("host.key", key(this.host));
		write("plugin.crt", this.plugin.pem());
		write("plugin.key", key(this.plugin));
	}

	Path file(String name) {
		return this.dir.resolve(name);
	}

	/**
	 * @return the sample plugin's arguments that serve with the plugin's bundle, trusting
	 * the host
	 */
	List<String> pluginArguments() {
		return List.of("--plugin-server.tls.bundle=plugin",
				"--spring.ssl.bundle.pem.plugin.keystore.certificate=file:" + file("plugin.crt"),
				"--spring.ssl.bundle.pem.plugin.keystore.private-key=file:" + file("plugin.key"),
				"--spring.ssl.bundle.pem.plugin.truststore.certificate=file:" + file("host.crt"));
	}

	private static String key(AutoMtlsCertificate certificate) {
		return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
			.encodeToString(certificate.privateKey().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
	}

	private void write(String name, String content) {
		try {
			Files.writeString(this.dir.resolve(name), content, StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
