package io.pluginrpc.autoconfigure.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.grpc.Channel;

import org.springframework.core.io.Resource;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

import org.springframework.boot.ssl.SslBundles;

import io.pluginrpc.core.tls.PemPrivateKey;
import io.pluginrpc.core.tls.TlsIdentity;
import io.pluginrpc.host.PluginClientConfig;
import io.pluginrpc.host.ReattachConfig;
import io.pluginrpc.host.RestartPolicy;

/**
 * Turns {@code plugins.<name>.*} into a validated {@link PluginClientConfig}: every
 * problem is reported with the plugin's name, the property, what was expected and what
 * was found.
 */
final class PluginConfigFactory {

	private final ClassLoader classLoader;

	private final SslBundles sslBundles;

	private final Set<String> hostOnlyVariables;

	/**
	 * @param classLoader loads the configured *Grpc classes
	 * @param hostOnlyVariables variables of the host's environment never passed on to
	 * plugins (the host's own magic cookie, when it is itself a plugin)
	 */
	PluginConfigFactory(ClassLoader classLoader, Set<String> hostOnlyVariables) {
		this(classLoader, hostOnlyVariables, null);
	}

	/**
	 * @param classLoader loads the configured *Grpc classes
	 * @param hostOnlyVariables variables of the host's environment never passed on to
	 * plugins
	 * @param sslBundles the application's SSL bundles, for {@code tls.bundle};
	 * {@code null} if it has none
	 */
	PluginConfigFactory(ClassLoader classLoader, Set<String> hostOnlyVariables, SslBundles sslBundles) {
		this.classLoader = classLoader;
		this.hostOnlyVariables = Set.copyOf(hostOnlyVariables);
		this.sslBundles = sslBundles;
	}

	PluginClientConfig create(String name, PluginProperties properties) {
		ReattachConfig reattach = reattach(name, properties.getReattach());
		if (reattach == null
				&& (properties.getCommand().isEmpty() || !StringUtils.hasText(properties.getCommand().get(0)))) {
			throw new InvalidPluginConfigurationException(name, "command", properties.getCommand(),
					"must name the plugin's executable and arguments, e.g. [java, -jar, plugin.jar], but is empty",
					null);
		}
		if (!StringUtils.hasText(properties.getHandshake().getCookieKey())
				|| !StringUtils.hasText(properties.getHandshake().getCookieValue())) {
			boolean keyMissing = !StringUtils.hasText(properties.getHandshake().getCookieKey());
			throw new InvalidPluginConfigurationException(name,
					keyMissing ? "handshake.cookie-key" : "handshake.cookie-value",
					keyMissing ? properties.getHandshake().getCookieKey() : properties.getHandshake().getCookieValue(),
					"must be set: go-plugin's magic cookie needs cookie-key and cookie-value (e.g. BASIC_PLUGIN / hello), but got key '"
							+ properties.getHandshake().getCookieKey() + "' and value '"
							+ properties.getHandshake().getCookieValue() + "'",
					null);
		}
		if (properties.getProtocolVersions().isEmpty()) {
			throw new InvalidPluginConfigurationException(name, "protocol-versions", properties.getProtocolVersions(),
					"must list at least one version with its *Grpc classes, e.g. {1: [com.example.KVGrpc]}, but is empty",
					null);
		}
		serviceClasses(name, properties);
		int min = properties.getTransport().getMinPort();
		int max = properties.getTransport().getMaxPort();
		if (min < 0 || max > 65535 || min > max) {
			boolean minWrong = min < 0 || min > max;
			throw new InvalidPluginConfigurationException(name, minWrong ? "transport.min-port" : "transport.max-port",
					minWrong ? min : max,
					"must satisfy 0 <= min-port <= max-port <= 65535, but got min-port " + min + " and max-port " + max,
					null);
		}
		if (properties.getStartTimeout().isNegative() || properties.getStartTimeout().isZero()) {
			throw new InvalidPluginConfigurationException(name, "start-timeout", properties.getStartTimeout(),
					"must be positive, but is " + properties.getStartTimeout(), null);
		}
		if (properties.getChecksum() != null && !properties.getChecksum().matches("[A-Za-z0-9-]+:[0-9a-fA-F]+")) {
			throw new InvalidPluginConfigurationException(name, "checksum", properties.getChecksum(),
					"must be 'algorithm:hex' (e.g. sha256:9f86d0...), but is '" + properties.getChecksum() + "'", null);
		}
		Path workingDirectory = StringUtils.hasText(properties.getWorkingDirectory())
				? Path.of(properties.getWorkingDirectory()).toAbsolutePath() : null;
		// AutoMTLS certificates live for one launch; a reattached plugin can only use
		// explicit TLS or none.
		// Explicit TLS replaces AutoMTLS, which is on by default: configuring tls is
		// enough to use it.
		TlsIdentity tls = explicitTls(name, properties.getTls(), this.sslBundles);
		boolean autoMtls = properties.isAutoMtls() && reattach == null && tls == null;
		if (properties.isGrpcBrokerMultiplex() && reattach != null) {
			throw new InvalidPluginConfigurationException(name, "grpc-broker-multiplex", true,
					"cannot be used with reattach (go-plugin refuses the combination too: a plugin started elsewhere was"
							+ " not asked to multiplex)",
					null);
		}
		return new PluginClientConfig(name, properties.getCommand(), workingDirectory, properties.getEnv(),
				properties.getHandshake().getCookieKey(), properties.getHandshake().getCookieValue(),
				properties.getProtocolVersions().keySet(), autoMtls, tls, properties.getChecksum(),
				properties.getStartTimeout(), properties.getStopTimeout(), min, max, properties.isLazy(), reattach,
				socketDirectory(name, properties.getSocketDirectory()), properties.isSkipHostEnv(),
				this.hostOnlyVariables,
				StringUtils.hasText(properties.getSocketGroup()) ? properties.getSocketGroup().strip() : null,
				properties.isGrpcBrokerMultiplex());
	}

	private static Path socketDirectory(String name, String socketDirectory) {
		if (!StringUtils.hasText(socketDirectory)) {
			return null;
		}
		// Absolute: the plugin gets it as PLUGIN_UNIX_SOCKET_DIR and may run in another
		// working directory.
		Path directory = Path.of(socketDirectory).toAbsolutePath();
		if (!java.nio.file.Files.isDirectory(directory)) {
			throw new InvalidPluginConfigurationException(name, "socket-directory", socketDirectory,
					"must be an existing directory, but " + directory + " is not", null);
		}
		return directory;
	}

	RestartPolicy restartPolicy(String name, PluginProperties.Restart restart) {
		if (restart.getMultiplier() < 1.0) {
			throw new InvalidPluginConfigurationException(name, "restart.multiplier", restart.getMultiplier(),
					"must be at least 1.0, but is " + restart.getMultiplier(), null);
		}
		if (restart.getInitialBackoff().isNegative()
				|| restart.getMaxBackoff().compareTo(restart.getInitialBackoff()) < 0) {
			boolean initialWrong = restart.getInitialBackoff().isNegative();
			throw new InvalidPluginConfigurationException(name,
					initialWrong ? "restart.initial-backoff" : "restart.max-backoff",
					initialWrong ? restart.getInitialBackoff() : restart.getMaxBackoff(),
					"must satisfy 0 <= initial-backoff <= max-backoff, but got initial-backoff "
							+ restart.getInitialBackoff() + " and max-backoff " + restart.getMaxBackoff(),
					null);
		}
		return new RestartPolicy(restart.isEnabled(), restart.getInitialBackoff(), restart.getMaxBackoff(),
				restart.getMultiplier(), restart.getMaxRestarts(), restart.getCallWait());
	}

	private static ReattachConfig reattach(String name, PluginProperties.Reattach reattach) {
		if (reattach == null) {
			return null;
		}
		if (!StringUtils.hasText(reattach.getAddress())) {
			throw new InvalidPluginConfigurationException(name, "reattach.address", reattach.getAddress(),
					"must be the running plugin's socket path or host:port, but is empty", null);
		}
		return new ReattachConfig(reattach.getNetwork().value(), reattach.getAddress(), reattach.getPid(),
				reattach.getProtocolVersion(), reattach.isTest());
	}

	/**
	 * @return for each version, the generated {@code *Grpc} classes the plugin serves in
	 * it
	 */
	Map<Integer, List<Class<?>>> serviceClasses(String name, PluginProperties properties) {
		Map<Integer, List<Class<?>>> classes = new LinkedHashMap<>();
		properties.getProtocolVersions().forEach((version, names) -> {
			List<Class<?>> resolved = new ArrayList<>();
			for (String className : (names != null) ? names : List.<String>of()) {
				resolved.add(grpcClass(name, version, className));
			}
			classes.put(version, resolved);
		});
		return classes;
	}

	/**
	 * @return every service class of every version, once
	 */
	Set<Class<?>> allServiceClasses(String name, PluginProperties properties) {
		Set<Class<?>> all = new LinkedHashSet<>();
		serviceClasses(name, properties).values().forEach(all::addAll);
		return all;
	}

	private Class<?> grpcClass(String name, int version, String className) {
		Class<?> type;
		try {
			type = ClassUtils.forName(className.strip(), this.classLoader);
		}
		catch (ClassNotFoundException | LinkageError ex) {
			throw new InvalidPluginConfigurationException(name, "protocol-versions." + version, className,
					"names class '" + className + "', which is not on the classpath", ex);
		}
		try {
			type.getMethod("newBlockingStub", Channel.class);
		}
		catch (NoSuchMethodException ex) {
			throw new InvalidPluginConfigurationException(name, "protocol-versions." + version, className,
					"names '" + className
							+ "', which is not a generated *Grpc class (it has no static newBlockingStub(Channel))",
					ex);
		}
		return type;
	}

	private static TlsIdentity explicitTls(String name, PluginProperties.Tls tls, SslBundles sslBundles) {
		if (StringUtils.hasText(tls.getBundle())) {
			if (tls.getCert() != null || tls.getKey() != null || tls.getTrust() != null) {
				throw new InvalidPluginConfigurationException(name, "tls.bundle", tls.getBundle(),
						"and tls.cert/key/trust are both set; use one of them", null);
			}
			return SslBundleTls.identity(name, tls.getBundle(), sslBundles);
		}
		if (tls.getCert() == null && tls.getKey() == null && tls.getTrust() == null) {
			return null;
		}
		if (tls.getCert() == null || tls.getKey() == null || tls.getTrust() == null) {
			String missing = (tls.getCert() == null) ? "cert" : (tls.getKey() == null) ? "key" : "trust";
			throw new InvalidPluginConfigurationException(name, "tls." + missing, null,
					"must be set: explicit TLS needs cert, key and trust together (PEM resources), but got cert="
							+ tls.getCert() + ", key=" + tls.getKey() + ", trust=" + tls.getTrust(),
					null);
		}
		List<X509Certificate> certificates = certificates(name, "tls.cert", tls.getCert());
		return new TlsIdentity(certificates.get(0), privateKey(name, tls.getKey()),
				certificates(name, "tls.trust", tls.getTrust()));
	}

	private static List<X509Certificate> certificates(String name, String property, Resource resource) {
		try (InputStream in = resource.getInputStream()) {
			List<X509Certificate> certificates = new ArrayList<>();
			CertificateFactory.getInstance("X.509")
				.generateCertificates(in)
				.forEach((c) -> certificates.add((X509Certificate) c));
			if (certificates.isEmpty()) {
				throw new CertificateException("no certificate in it");
			}
			return certificates;
		}
		catch (IOException | CertificateException ex) {
			throw new InvalidPluginConfigurationException(name, property, resource,
					"should be a PEM certificate, but " + resource + " could not be read as one: " + ex.getMessage(),
					ex);
		}
	}

	private static PrivateKey privateKey(String name, Resource resource) {
		try (InputStream in = resource.getInputStream()) {
			return PemPrivateKey.parse(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
		}
		catch (IOException ex) {
			throw new InvalidPluginConfigurationException(name, "tls.key", resource,
					"should be a PEM private key, but " + resource + " could not be read as one: " + ex.getMessage(),
					ex);
		}
	}

}
