package io.pluginrpc.autoconfigure.host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.core.io.Resource;

import io.pluginrpc.autoconfigure.PluginNetwork;

/**
 * One plugin this application hosts: {@code plugins.<name>.*}.
 */
public class PluginProperties {

	/**
	 * The plugin's command line as a list (argv); the first element is looked up on the
	 * PATH. No shell is involved. The plugin must run as this one process (e.g. 'java
	 * -jar plugin.jar').
	 */
	private List<String> command = new ArrayList<>();

	/**
	 * Working directory of the plugin; the host's by default.
	 */
	private String workingDirectory;

	/**
	 * Variables added to the plugin's environment, on top of the host's own (unless
	 * skip-host-env); the protocol's PLUGIN_* variables are always the host's choice.
	 */
	private Map<String, String> env = new LinkedHashMap<>();

	/**
	 * Whether the plugin starts from an empty environment (plus env and the protocol
	 * variables) instead of inheriting the host's, as go-plugin's SkipHostEnv. The host's
	 * PLUGIN_* variables are never inherited.
	 */
	private boolean skipHostEnv;

	/**
	 * Whether to ask for go-plugin 1.6's gRPC broker multiplexing (GRPCBrokerMultiplex):
	 * the host sends PLUGIN_MULTIPLEX_GRPC=true, refuses a plugin that does not answer
	 * 'true' in its handshake, and carries the main connection and every broker
	 * connection over one yamux session on the one connection it dials. Not with
	 * reattach.
	 */
	private boolean grpcBrokerMultiplex;

	/**
	 * The go-plugin handshake configuration (magic cookie).
	 */
	private final Handshake handshake = new Handshake();

	/**
	 * Protocol versions offered to the plugin, each with the generated *Grpc classes the
	 * plugin serves in that version (e.g. 1: [io.pluginrpc.sample.proto.KVGrpc]).
	 */
	private Map<Integer, List<String>> protocolVersions = new LinkedHashMap<>();

	/**
	 * Whether to use go-plugin's AutoMTLS: fresh certificates per launch, each side
	 * pinned to the other's. Ignored when tls is configured.
	 */
	private boolean autoMtls = true;

	/**
	 * Explicit mutual TLS instead of AutoMTLS: when a bundle, or cert, key and trust, are
	 * set, the host presents that certificate and trusts only those certificates, and
	 * does not send PLUGIN_CLIENT_CERT (AutoMTLS is off).
	 */
	private final Tls tls = new Tls();

	/**
	 * Checksum of the executable as 'algorithm:hex' (e.g. sha256:9f86d0...), verified
	 * before every launch.
	 */
	private String checksum;

	/**
	 * How long the plugin may take to print its handshake line and answer the first
	 * health check.
	 */
	private Duration startTimeout = Duration.ofSeconds(60);

	/**
	 * How long the plugin may take to exit after the Shutdown request before it and its
	 * descendants are killed.
	 */
	private Duration stopTimeout = Duration.ofSeconds(2);

	/**
	 * Whether the plugin starts on its first call instead of with the application.
	 */
	private boolean lazy;

	/**
	 * Connect to an already running plugin instead of launching the command (go-plugin's
	 * reattach); its process is never killed.
	 */
	private Reattach reattach;

	/**
	 * Directory in which the private socket directories for this plugin are created
	 * ($TMPDIR or /tmp by default); keep it short, Unix socket paths are limited to 107
	 * bytes.
	 */
	private String socketDirectory;

	/**
	 * Group (name or gid) that may reach the plugin's Unix sockets, passed as
	 * PLUGIN_UNIX_SOCKET_GROUP (go-plugin's UnixSocketConfig.Group): the plugin makes its
	 * sockets 0660 and owned by that group, for a plugin or host running as another user
	 * of the group.
	 */
	private String socketGroup;

	/**
	 * Whether a plugin that cannot be started fails the application start. When false the
	 * application starts with the plugin DOWN (and restarts it per the restart policy).
	 */
	private boolean failFast = true;

	/**
	 * Supervision: restarting a plugin whose process exits on its own.
	 */
	private final Restart restart = new Restart();

	/**
	 * TCP port range the plugin may listen in (PLUGIN_MIN_PORT / PLUGIN_MAX_PORT).
	 */
	private final Transport transport = new Transport();

	public List<String> getCommand() {
		return this.command;
	}

	public void setCommand(List<String> command) {
		this.command = command;
	}

	public String getWorkingDirectory() {
		return this.workingDirectory;
	}

	public void setWorkingDirectory(String workingDirectory) {
		this.workingDirectory = workingDirectory;
	}

	public Map<String, String> getEnv() {
		return this.env;
	}

	public void setEnv(Map<String, String> env) {
		this.env = env;
	}

	public Handshake getHandshake() {
		return this.handshake;
	}

	public Map<Integer, List<String>> getProtocolVersions() {
		return this.protocolVersions;
	}

	public void setProtocolVersions(Map<Integer, List<String>> protocolVersions) {
		this.protocolVersions = protocolVersions;
	}

	public boolean isAutoMtls() {
		return this.autoMtls;
	}

	public void setAutoMtls(boolean autoMtls) {
		this.autoMtls = autoMtls;
	}

	public Tls getTls() {
		return this.tls;
	}

	public String getChecksum() {
		return this.checksum;
	}

	public void setChecksum(String checksum) {
		this.checksum = checksum;
	}

	public Duration getStartTimeout() {
		return this.startTimeout;
	}

	public void setStartTimeout(Duration startTimeout) {
		this.startTimeout = startTimeout;
	}

	public Duration getStopTimeout() {
		return this.stopTimeout;
	}

	public void setStopTimeout(Duration stopTimeout) {
		this.stopTimeout = stopTimeout;
	}

	public boolean isLazy() {
		return this.lazy;
	}

	public void setLazy(boolean lazy) {
		this.lazy = lazy;
	}

	public Reattach getReattach() {
		return this.reattach;
	}

	public void setReattach(Reattach reattach) {
		this.reattach = reattach;
	}

	public String getSocketDirectory() {
		return this.socketDirectory;
	}

	public void setSocketDirectory(String socketDirectory) {
		this.socketDirectory = socketDirectory;
	}

	public boolean isSkipHostEnv() {
		return this.skipHostEnv;
	}

	public void setSkipHostEnv(boolean skipHostEnv) {
		this.skipHostEnv = skipHostEnv;
	}

	public String getSocketGroup() {
		return this.socketGroup;
	}

	public void setSocketGroup(String socketGroup) {
		this.socketGroup = socketGroup;
	}

	public boolean isGrpcBrokerMultiplex() {
		return this.grpcBrokerMultiplex;
	}

	public void setGrpcBrokerMultiplex(boolean grpcBrokerMultiplex) {
		this.grpcBrokerMultiplex = grpcBrokerMultiplex;
	}

	public boolean isFailFast() {
		return this.failFast;
	}

	public void setFailFast(boolean failFast) {
		this.failFast = failFast;
	}

	public Restart getRestart() {
		return this.restart;
	}

	public Transport getTransport() {
		return this.transport;
	}

	/** The magic cookie: the plugin refuses to run unless the variable has the value. */
	public static class Handshake {

		/**
		 * Name of the magic cookie environment variable (go-plugin's MagicCookieKey),
		 * e.g. BASIC_PLUGIN.
		 */
		private String cookieKey;

		/**
		 * Value of the magic cookie (go-plugin's MagicCookieValue), e.g. hello.
		 */
		private String cookieValue;

		public String getCookieKey() {
			return this.cookieKey;
		}

		public void setCookieKey(String cookieKey) {
			this.cookieKey = cookieKey;
		}

		public String getCookieValue() {
			return this.cookieValue;
		}

		public void setCookieValue(String cookieValue) {
			this.cookieValue = cookieValue;
		}

	}

	/** Explicit mutual TLS material: a Spring SSL bundle, or PEM resources. */
	public static class Tls {

		/**
		 * Name of a Spring SSL bundle (spring.ssl.bundle.pem.<name> or .jks.<name>): its
		 * keystore holds the host's certificate and key, its truststore the plugin
		 * certificates to trust. Replaces cert, key and trust.
		 */
		private String bundle;

		/**
		 * The host's certificate (PEM), presented to the plugin.
		 */
		private Resource cert;

		/**
		 * The host's private key (PEM, PKCS#8 or SEC1).
		 */
		private Resource key;

		/**
		 * The certificate(s) (PEM) the plugin's certificate must chain to.
		 */
		private Resource trust;

		public String getBundle() {
			return this.bundle;
		}

		public void setBundle(String bundle) {
			this.bundle = bundle;
		}

		public Resource getCert() {
			return this.cert;
		}

		public void setCert(Resource cert) {
			this.cert = cert;
		}

		public Resource getKey() {
			return this.key;
		}

		public void setKey(Resource key) {
			this.key = key;
		}

		public Resource getTrust() {
			return this.trust;
		}

		public void setTrust(Resource trust) {
			this.trust = trust;
		}

	}

	/** TCP port range for plugins that listen on TCP. */
	public static class Transport {

		/**
		 * Lowest port the plugin may listen on (PLUGIN_MIN_PORT).
		 */
		private int minPort = 10000;

		/**
		 * Highest port the plugin may listen on (PLUGIN_MAX_PORT).
		 */
		private int maxPort = 25000;

		public int getMinPort() {
			return this.minPort;
		}

		public void setMinPort(int minPort) {
			this.minPort = minPort;
		}

		public int getMaxPort() {
			return this.maxPort;
		}

		public void setMaxPort(int maxPort) {
			this.maxPort = maxPort;
		}

	}

	/** Where a running plugin listens (go-plugin's ReattachConfig). */
	public static class Reattach {

		/**
		 * Network of the running plugin.
		 */
		private PluginNetwork network = PluginNetwork.UNIX;

		/**
		 * Socket path or host:port of the running plugin.
		 */
		private String address;

		/**
		 * Process id of the running plugin (0 if unknown); used to notice its exit, never
		 * to kill it.
		 */
		private long pid;

		/**
		 * Protocol version the running plugin serves.
		 */
		private int protocolVersion = 1;

		/**
		 * go-plugin's test mode: do not ask the plugin to shut down when the application
		 * stops.
		 */
		private boolean test;

		public PluginNetwork getNetwork() {
			return this.network;
		}

		public void setNetwork(PluginNetwork network) {
			this.network = network;
		}

		public String getAddress() {
			return this.address;
		}

		public void setAddress(String address) {
			this.address = address;
		}

		public long getPid() {
			return this.pid;
		}

		public void setPid(long pid) {
			this.pid = pid;
		}

		public int getProtocolVersion() {
			return this.protocolVersion;
		}

		public void setProtocolVersion(int protocolVersion) {
			this.protocolVersion = protocolVersion;
		}

		public boolean isTest() {
			return this.test;
		}

		public void setTest(boolean test) {
			this.test = test;
		}

	}

	/** Restarting a plugin whose process exits on its own (go-plugin never does). */
	public static class Restart {

		/**
		 * Whether to restart a plugin whose process exits on its own.
		 */
		private boolean enabled = true;

		/**
		 * Delay before the first restart.
		 */
		private java.time.Duration initialBackoff = java.time.Duration.ofSeconds(1);

		/**
		 * Longest delay between restarts.
		 */
		private java.time.Duration maxBackoff = java.time.Duration.ofSeconds(30);

		/**
		 * Factor between consecutive delays.
		 */
		private double multiplier = 2.0;

		/**
		 * Most restarts over the application's life; -1 for no limit.
		 */
		private int maxRestarts = 10;

		/**
		 * How long a call made while the plugin restarts waits for it; 0 fails such calls
		 * at once with UNAVAILABLE.
		 */
		private java.time.Duration callWait = java.time.Duration.ZERO;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public java.time.Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(java.time.Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public java.time.Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(java.time.Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public int getMaxRestarts() {
			return this.maxRestarts;
		}

		public void setMaxRestarts(int maxRestarts) {
			this.maxRestarts = maxRestarts;
		}

		public java.time.Duration getCallWait() {
			return this.callWait;
		}

		public void setCallWait(java.time.Duration callWait) {
			this.callWait = callWait;
		}

	}

}
