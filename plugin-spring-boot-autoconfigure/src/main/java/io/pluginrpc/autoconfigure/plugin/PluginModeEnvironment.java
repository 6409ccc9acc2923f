package io.pluginrpc.autoconfigure.plugin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

import io.pluginrpc.autoconfigure.SpringBootLine;
import io.pluginrpc.plugin.CookieCheck;
import io.pluginrpc.plugin.EarlyCertificate;
import io.pluginrpc.plugin.PluginParent;
import io.pluginrpc.plugin.PluginStdout;

/**
 * Prepares a plugin before anything can print: guards stdout (only the handshake line may
 * reach it), records the parent process for the watchdog, checks the magic cookie exactly
 * like go-plugin (message on stderr, exit status 1, before the context is even created),
 * starts generating the AutoMTLS certificate in the background when the host asked for
 * AutoMTLS (it overlaps the application's start); in debug mode only the guard applies.
 * Then adds defaults that suit a plugin: no banner, hclog JSON logging on stderr, no web
 * server and, when a gRPC server integration is on the classpath, no network server of
 * its own (net.devh on Boot 3: {@code grpc.server.port=-1}; Boot 4.1's gRPC server:
 * {@code spring.grpc.server.factory.enabled=false}; see {@link SpringBootLine}): the
 * plugin serves on the socket its handshake announces, and a second plugin instance would
 * find 9090 taken. Every default is the lowest-precedence property source, so the
 * application can override it.
 * <p>
 * The objects made this early ({@link PluginStdout}, {@link PluginParent},
 * {@link EarlyCertificate}) go into Spring Boot's bootstrap context and, when it closes,
 * into the application context as singletons, so {@link PluginServerAutoConfiguration}
 * gets the same instances injected: no static state. The bootstrap context's types moved
 * between Spring Boot 3 and 4, so each line's {@code PluginModeEnvironmentPostProcessor}
 * adapts its own as {@link EarlyObjects}.
 */
public abstract class PluginModeEnvironment implements EnvironmentPostProcessor, Ordered {

	/** Name of the property source holding the plugin-mode defaults. */
	public static final String PROPERTY_SOURCE_NAME = "pluginModeDefaults";

	/**
	 * Set while Spring AOT processes the application at build time
	 * ({@code AbstractAotProcessor}).
	 */
	static final String AOT_PROCESSING = "spring.aot.processing";

	static final String LOGBACK_CONFIG = "classpath:io/pluginrpc/logging/logback-plugin.xml";

	private final EarlyObjects early;

	/**
	 * @param early where the objects made before the application context exists are kept
	 */
	PluginModeEnvironment(EarlyObjects early) {
		this.early = early;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!PluginMode.isActive(environment)) {
			return;
		}
		// Spring AOT runs the application at build time to record its beans (with these
		// defaults); no host
		// launched that run, so there is no cookie to check and no stdout to guard.
		if (!Boolean.getBoolean(AOT_PROCESSING)) {
			prepareProcess(environment);
		}
		Map<String, Object> defaults = new LinkedHashMap<>();
		defaults.put("spring.main.banner-mode", "off");
		defaults.put("spring.main.web-application-type", "none");
		if (ClassUtils.isPresent(SpringBootLine.GRPC_SERVER_MARKER_CLASS, application.getClassLoader())) {
			defaults.put(SpringBootLine.GRPC_SERVER_OFF_PROPERTY, SpringBootLine.GRPC_SERVER_OFF_VALUE);
		}
		if (ClassUtils.isPresent("ch.qos.logback.classic.LoggerContext", getClass().getClassLoader())
				&& getClass().getClassLoader().getResource(LOGBACK_CONFIG.substring("classpath:".length())) != null) {
			defaults.put("logging.config", LOGBACK_CONFIG);
		}
		environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, defaults));
	}

	private void prepareProcess(ConfigurableEnvironment environment) {
		if (PluginMode.isDebug(environment)) {
			// go-plugin's test mode: nobody launched us, so there is no cookie to check,
			// no parent to watch and
			// no AutoMTLS to answer; stdout is still kept for what a host needs to
			// attach.
			this.early.register(PluginStdout.class, PluginStdout::new).guard();
			return;
		}
		// The earliest point a plugin's own code runs: the host that launched us is our
		// parent now, while
		// the watchdog starts only after the handshake, when a host that already died has
		// been replaced
		// by the reaper that adopted us.
		this.early.register(PluginParent.class, PluginParent::ofCurrentProcess);
		this.early.register(PluginStdout.class, PluginStdout::new).guard();
		Optional<String> failure = CookieCheck.failure(System.getenv(),
				environment.getProperty(PluginServerProperties.PREFIX + ".magic-cookie-key"),
				environment.getProperty(PluginServerProperties.PREFIX + ".magic-cookie-value"));
		if (failure.isPresent()) {
			System.err.print(failure.get());
			System.err.flush();
			System.exit(CookieCheck.EXIT_STATUS);
		}
		this.early.register(EarlyCertificate.class, EarlyCertificate::new).startIfRequested(System.getenv());
	}

	@Override
	public int getOrder() {
		// After config data (application.yml) is loaded, before logging is initialised.
		return Ordered.LOWEST_PRECEDENCE - 10;
	}

	/**
	 * Spring Boot's bootstrap context, as each line names it: keeps an object (the first
	 * one, should this run twice for one application) and hands it to the application
	 * context as a singleton once that exists.
	 */
	interface EarlyObjects {

		<T> T register(Class<T> type, Supplier<T> supplier);

	}

}
