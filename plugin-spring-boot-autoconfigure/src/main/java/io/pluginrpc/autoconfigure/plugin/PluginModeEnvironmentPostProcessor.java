package io.pluginrpc.autoconfigure.plugin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.BootstrapRegistry.InstanceSupplier;
import org.springframework.boot.BootstrapContextClosedEvent;
import org.springframework.boot.ConfigurableBootstrapContext;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

import io.pluginrpc.autoconfigure.grpc.netdevh.NetDevhPluginServerAutoConfiguration;
import io.pluginrpc.plugin.CookieCheck;
import io.pluginrpc.plugin.EarlyCertificate;
import io.pluginrpc.plugin.PluginParent;
import io.pluginrpc.plugin.PluginStdout;

/**
 * Prepares a plugin before anything can print: guards stdout (only the handshake line may reach it),
 * records the parent process for the watchdog, checks the magic cookie exactly like go-plugin (message
 * on stderr, exit status 1, before the context is even created), starts generating the AutoMTLS
 * certificate in the background when the host asked for AutoMTLS (it overlaps the application's start);
 * in debug mode only the guard applies. Then adds defaults that suit a plugin: no banner, hclog JSON
 * logging on stderr, no web server and, when net.devh's server starter is on the classpath, no net.devh
 * server ({@code grpc.server.port=-1}: the plugin serves on the socket its handshake announces, and a
 * second plugin instance would find 9090 taken). Every default is the lowest-precedence property source,
 * so the application can override it.
 * <p>
 * The objects made this early ({@link PluginStdout}, {@link PluginParent}, {@link EarlyCertificate}) go into
 * Spring Boot's bootstrap context and, when it closes, into the application context as singletons, so
 * {@link PluginServerAutoConfiguration} gets the same instances injected: no static state.
 */
public class PluginModeEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** Name of the property source holding the plugin-mode defaults. */
	public static final String PROPERTY_SOURCE_NAME = "pluginModeDefaults";

	/** Set while Spring AOT processes the application at build time ({@code AbstractAotProcessor}). */
	static final String AOT_PROCESSING = "spring.aot.processing";

	static final String LOGBACK_CONFIG = "classpath:io/pluginrpc/logging/logback-plugin.xml";

	private final ConfigurableBootstrapContext bootstrapContext;

	/**
	 * @param bootstrapContext where the objects made before the application context exists are kept
	 */
	public PluginModeEnvironmentPostProcessor(ConfigurableBootstrapContext bootstrapContext) {
		this.bootstrapContext = bootstrapContext;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!PluginMode.isActive(environment)) {
			return;
		}
		// Spring AOT runs the application at build time to record its beans (with these defaults); no host
		// launched that run, so there is no cookie to check and no stdout to guard.
		if (!Boolean.getBoolean(AOT_PROCESSING)) {
			prepareProcess(environment);
		}
		Map<String, Object> defaults = new LinkedHashMap<>();
		defaults.put("spring.main.banner-mode", "off");
		defaults.put("spring.main.web-application-type", "none");
		if (ClassUtils.isPresent(NetDevhPluginServerAutoConfiguration.MARKER_CLASS, application.getClassLoader())) {
			defaults.put("grpc.server.port", "-1");
		}
		if (ClassUtils.isPresent("ch.qos.logback.classic.LoggerContext", getClass().getClassLoader())
				&& getClass().getClassLoader().getResource(LOGBACK_CONFIG.substring("classpath:".length())) != null) {
			defaults.put("logging.config", LOGBACK_CONFIG);
		}
		environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, defaults));
	}

	private void prepareProcess(ConfigurableEnvironment environment) {
		if (PluginMode.isDebug(environment)) {
			// go-plugin's test mode: nobody launched us, so there is no cookie to check, no parent to watch and
			// no AutoMTLS to answer; stdout is still kept for what a host needs to attach.
			register(PluginStdout.class, PluginStdout::new).guard();
			return;
		}
		// The earliest point a plugin's own code runs: the host that launched us is our parent now, while
		// the watchdog starts only after the handshake, when a host that already died has been replaced
		// by the reaper that adopted us.
		register(PluginParent.class, PluginParent::ofCurrentProcess);
		register(PluginStdout.class, PluginStdout::new).guard();
		Optional<String> failure = CookieCheck.failure(System.getenv(),
				environment.getProperty(PluginServerProperties.PREFIX + ".magic-cookie-key"),
				environment.getProperty(PluginServerProperties.PREFIX + ".magic-cookie-value"));
		if (failure.isPresent()) {
			System.err.print(failure.get());
			System.err.flush();
			System.exit(CookieCheck.EXIT_STATUS);
		}
		register(EarlyCertificate.class, EarlyCertificate::new).startIfRequested(System.getenv());
	}

	/**
	 * Keeps the object in the bootstrap context (the first one, should this run twice for one application)
	 * and hands it to the application context as a singleton once that exists.
	 */
	private <T> T register(Class<T> type, Supplier<T> supplier) {
		if (!this.bootstrapContext.isRegistered(type)) {
			this.bootstrapContext.register(type, InstanceSupplier.from(supplier));
			this.bootstrapContext.addCloseListener((event) -> registerSingleton(event, type));
		}
		return this.bootstrapContext.get(type);
	}

	private static <T> void registerSingleton(BootstrapContextClosedEvent event, Class<T> type) {
		ConfigurableListableBeanFactory beanFactory = event.getApplicationContext().getBeanFactory();
		if (beanFactory.getBeanNamesForType(type, true, false).length == 0) {
			beanFactory.registerSingleton(type.getName(), event.getBootstrapContext().get(type));
		}
	}

	@Override
	public int getOrder() {
		// After config data (application.yml) is loaded, before logging is initialised.
		return Ordered.LOWEST_PRECEDENCE - 10;
	}

}
