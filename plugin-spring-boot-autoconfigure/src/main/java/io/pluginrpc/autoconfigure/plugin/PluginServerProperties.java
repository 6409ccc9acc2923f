package io.pluginrpc.autoconfigure.plugin;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import io.pluginrpc.autoconfigure.PluginNetwork;

/**
 * Configuration of the plugin side. The prefix is {@code plugin-server}, not
 * {@code plugin}: Spring's relaxed binding would map go-plugin's own {@code PLUGIN_*}
 * environment variables onto a {@code plugin.*} prefix.
 */
@ConfigurationProperties(PluginServerProperties.PREFIX)
public class PluginServerProperties {

	/** Prefix of these properties. */
	public static final String PREFIX = "plugin-server";

	/**
	 * Whether the application runs as a go-plugin plugin when a magic cookie is
	 * configured.
	 */
	private boolean enabled = true;

	/**
	 * Name of the environment variable holding the magic cookie, go-plugin's
	 * HandshakeConfig.MagicCookieKey (e.g. BASIC_PLUGIN). Setting it turns plugin mode
	 * on.
	 */
	private String magicCookieKey;

	/**
	 * Value the magic cookie variable must have, go-plugin's
	 * HandshakeConfig.MagicCookieValue. Started without it, the plugin prints go-plugin's
	 * message and exits with status 1.
	 */
	private String magicCookieValue;

	/**
	 * Debug mode, go-plugin's ServeTestConfig (Terraform's -debug): serve without a host
	 * (no magic cookie check, no parent watchdog, SIGINT stops the plugin), print on
	 * stdout how a host attaches (go-plugin ReattachConfig JSON, then
	 * plugins.<name>.reattach.* properties) and keep serving until stopped.
	 */
	private boolean debug;

	/**
	 * Name the host gives this plugin, used in the plugins.<name>.reattach.* properties
	 * debug mode prints; defaults to spring.application.name.
	 */
	private String debugPluginName;

	/**
	 * Explicit TLS instead of AutoMTLS (go-plugin's TLSProvider).
	 */
	private final Tls tls = new Tls();

	/**
	 * Network to listen on: 'unix' (a socket in a fresh private directory, what go-plugin
	 * does on Linux and macOS) or 'tcp' (127.0.0.1, first free port in
	 * PLUGIN_MIN_PORT..PLUGIN_MAX_PORT).
	 */
	private PluginNetwork network = PluginNetwork.UNIX;

	/**
	 * How long in-flight calls may finish once the host asks the plugin to stop. Keep it
	 * below the host's stop timeout (2 s for go-plugin hosts), after which the host kills
	 * the plugin.
	 */
	private Duration shutdownGracePeriod = Duration.ofSeconds(1);

	/**
	 * Whether the plugin exits when its host process dies (go-plugin plugins would live
	 * on as orphans).
	 */
	private boolean parentWatchdog = true;

	/**
	 * How often the parent watchdog checks that the host is alive.
	 */
	private Duration parentWatchdogInterval = Duration.ofMillis(500);

	/**
	 * How much of the plugin's redirected stdout/stderr is kept for the host's GRPCStdio
	 * stream when the host reads slower than the plugin writes (or never reads, like
	 * go-plugin 1.0.1); the oldest output is dropped beyond it, and writers never block.
	 */
	private DataSize stdioBufferSize = DataSize.ofMegabytes(1);

	/**
	 * Whether System.out and System.err are routed to the host's GRPCStdio stream after
	 * the handshake (as go-plugin does); logging always goes to the real stderr.
	 */
	private boolean redirectStdio = true;

	/**
	 * Whether auto-configurations a plugin has no use for (Gson, task execution and
	 * scheduling) are skipped in plugin mode, for a faster start.
	 */
	private boolean trimAutoConfiguration = true;

	/**
	 * How often the application's Actuator health (when present) is copied to the gRPC
	 * 'plugin' health status that hosts ping.
	 */
	private Duration healthCheckInterval = Duration.ofSeconds(5);

	/**
	 * How long a broker dial waits for the host's announcement, and how long unclaimed
	 * announcements are kept (go-plugin uses 5 s for both).
	 */
	private Duration brokerTimeout = Duration.ofSeconds(5);

	/**
	 * Whether calls run on the I/O thread that read them instead of being handed to an
	 * executor thread: about half the plugin's CPU time per unary call, for services that
	 * never block (no I/O, no calls to the host or through the broker inside a call); a
	 * blocking call stalls all calls while it blocks.
	 */
	private boolean directExecutor;

	public boolean isDebug() {
		return this.debug;
	}

	public void setDebug(boolean debug) {
		this.debug = debug;
	}

	public String getDebugPluginName() {
		return this.debugPluginName;
	}

	public void setDebugPluginName(String debugPluginName) {
		this.debugPluginName = debugPluginName;
	}

	public Tls getTls() {
		return this.tls;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getMagicCookieKey() {
		return this.magicCookieKey;
	}

	public void setMagicCookieKey(String magicCookieKey) {
		this.magicCookieKey = magicCookieKey;
	}

	public String getMagicCookieValue() {
		return this.magicCookieValue;
	}

	public void setMagicCookieValue(String magicCookieValue) {
		this.magicCookieValue = magicCookieValue;
	}

	public PluginNetwork getNetwork() {
		return this.network;
	}

	public void setNetwork(PluginNetwork network) {
		this.network = network;
	}

	public Duration getShutdownGracePeriod() {
		return this.shutdownGracePeriod;
	}

	public void setShutdownGracePeriod(Duration shutdownGracePeriod) {
		this.shutdownGracePeriod = shutdownGracePeriod;
	}

	public boolean isParentWatchdog() {
		return this.parentWatchdog;
	}

	public void setParentWatchdog(boolean parentWatchdog) {
		this.parentWatchdog = parentWatchdog;
	}

	public Duration getParentWatchdogInterval() {
		return this.parentWatchdogInterval;
	}

	public void setParentWatchdogInterval(Duration parentWatchdogInterval) {
		this.parentWatchdogInterval = parentWatchdogInterval;
	}

	public DataSize getStdioBufferSize() {
		return this.stdioBufferSize;
	}

	public void setStdioBufferSize(DataSize stdioBufferSize) {
		this.stdioBufferSize = stdioBufferSize;
	}

	public boolean isRedirectStdio() {
		return this.redirectStdio;
	}

	public void setRedirectStdio(boolean redirectStdio) {
		this.redirectStdio = redirectStdio;
	}

	public boolean isDirectExecutor() {
		return this.directExecutor;
	}

	public void setDirectExecutor(boolean directExecutor) {
		this.directExecutor = directExecutor;
	}

	public boolean isTrimAutoConfiguration() {
		return this.trimAutoConfiguration;
	}

	public void setTrimAutoConfiguration(boolean trimAutoConfiguration) {
		this.trimAutoConfiguration = trimAutoConfiguration;
	}

	public Duration getHealthCheckInterval() {
		return this.healthCheckInterval;
	}

	public void setHealthCheckInterval(Duration healthCheckInterval) {
		this.healthCheckInterval = healthCheckInterval;
	}

	public Duration getBrokerTimeout() {
		return this.brokerTimeout;
	}

	public void setBrokerTimeout(Duration brokerTimeout) {
		this.brokerTimeout = brokerTimeout;
	}

	/** The plugin's own TLS (go-plugin's TLSProvider). */
	public static class Tls {

		/**
		 * Name of the Spring SSL bundle (spring.ssl.bundle.*) to serve with: its key
		 * store holds the plugin's certificate and key (the key's own certificate is
		 * presented, without intermediates), its trust store the certificates a host's
		 * client certificate must chain to. Replaces AutoMTLS; the handshake line then
		 * carries no certificate, as with go-plugin's TLSProvider.
		 */
		private String bundle;

		public String getBundle() {
			return this.bundle;
		}

		public void setBundle(String bundle) {
			this.bundle = bundle;
		}

	}

}
