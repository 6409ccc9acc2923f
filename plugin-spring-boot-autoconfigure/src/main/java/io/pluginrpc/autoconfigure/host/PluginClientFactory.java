package io.pluginrpc.autoconfigure.host;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import io.grpc.Channel;
import io.grpc.ClientInterceptor;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.env.Environment;
import org.springframework.util.ReflectionUtils;

import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginClientConfig;
import io.pluginrpc.host.PluginEventListener;
import io.pluginrpc.host.PluginHost;
import io.pluginrpc.host.PluginInitializer;

/**
 * Creates the beans {@link PluginClientRegistrar} declares: the bean definitions name
 * only the plugin, the {@code *Grpc} class and the stub factory method (all of which
 * Spring AOT can write into generated code); everything else of {@code plugins.<name>.*}
 * is bound here, when the bean is created, so it comes from the environment the
 * application runs in, with or without AOT.
 */
public class PluginClientFactory {

	/** Bean name of the factory, which the registered bean definitions refer to. */
	public static final String BEAN_NAME = "pluginClientFactory";

	private final Environment environment;

	private final BeanFactory beanFactory;

	private final PluginConfigFactory configs;

	public PluginClientFactory(Environment environment, BeanFactory beanFactory, ClassLoader classLoader) {
		this.environment = environment;
		this.beanFactory = beanFactory;
		this.configs = new PluginConfigFactory(classLoader, hostOnlyVariables(environment),
				beanFactory.getBeanProvider(SslBundles.class).getIfAvailable());
	}

	/**
	 * The host's own magic cookie, when it is itself a plugin: its plugins must not
	 * inherit it.
	 */
	private static Set<String> hostOnlyVariables(Environment environment) {
		String ownCookie = environment.getProperty("plugin-server.magic-cookie-key");
		return (ownCookie != null && !ownCookie.isBlank()) ? Set.of(ownCookie) : Set.of();
	}

	/**
	 * @param name the plugin
	 * @return its managed client, configured from {@code plugins.<name>.*} as bound now
	 */
	public ManagedPluginClient client(String name) {
		PluginProperties properties = properties(name);
		List<PluginEventListener> listeners = this.beanFactory.getBeanProvider(PluginEventListener.class)
			.orderedStream()
			.toList();
		PluginClientConfig config = this.configs.create(name, properties);
		List<ClientInterceptor> interceptors = new ArrayList<>();
		// First in the list, so it runs right before the plugin's channel, after every
		// contributed one.
		AtomicReference<PluginClient> client = new AtomicReference<>();
		interceptors
			.add(new NegotiatedVersionInterceptor(name, serviceNames(this.configs.serviceClasses(name, properties)),
					() -> (client.get() != null) ? client.get().getNegotiatedVersion() : null));
		this.beanFactory.getBeanProvider(PluginClientInterceptors.class)
			.orderedStream()
			.forEach((contributor) -> interceptors.addAll(contributor.forPlugin(name)));
		List<PluginInitializer> initializers = this.beanFactory.getBeanProvider(PluginInitializer.class)
			.orderedStream()
			.toList();
		ManagedPluginClient managed = new ManagedPluginClient(config, this.beanFactory.getBean(PluginHost.class),
				this.configs.restartPolicy(name, properties.getRestart()), new CompositePluginEventListener(listeners),
				initializers, properties.isFailFast(), interceptors,
				this.beanFactory.getBeanProvider(PluginStartObserver.class)
					.getIfAvailable(() -> PluginStartObserver.NONE));
		client.set(managed);
		return managed;
	}

	/**
	 * @param plugin the plugin whose channel the stub uses
	 * @param grpcClass the generated {@code *Grpc} class
	 * @param factoryMethod {@code newBlockingStub}, {@code newStub} or
	 * {@code newFutureStub}
	 * @return the stub, on the plugin's following channel
	 */
	public Object stub(String plugin, Class<?> grpcClass, String factoryMethod) {
		Method factory = ReflectionUtils.findMethod(grpcClass, factoryMethod, Channel.class);
		if (factory == null) {
			throw new IllegalStateException(grpcClass.getName() + " has no static " + factoryMethod + "(Channel)");
		}
		return ReflectionUtils.invokeMethod(factory, null,
				this.beanFactory.getBean(plugin, PluginClient.class).channel());
	}

	private PluginProperties properties(String name) {
		return Binder.get(this.environment)
			.bind(PluginsProperties.PREFIX + "." + name, PluginProperties.class)
			.orElseThrow(() -> new InvalidPluginConfigurationException(name, "command", null,
					"is not configured: the plugin was configured when the application was built (Spring AOT fixes the"
							+ " plugins and their protocol-versions then), but plugins." + name
							+ ".* is missing from this run's configuration",
					null));
	}

	/**
	 * @return each version's gRPC service names, from the {@code SERVICE_NAME} of its
	 * *Grpc classes
	 */
	private static Map<Integer, Set<String>> serviceNames(Map<Integer, List<Class<?>>> classes) {
		Map<Integer, Set<String>> names = new LinkedHashMap<>();
		classes.forEach((version, grpcClasses) -> {
			Set<String> services = new LinkedHashSet<>();
			for (Class<?> grpcClass : grpcClasses) {
				Field field = ReflectionUtils.findField(grpcClass, "SERVICE_NAME", String.class);
				if (field != null && Modifier.isStatic(field.getModifiers())) {
					services.add((String) ReflectionUtils.getField(field, null));
				}
			}
			names.put(version, services);
		});
		return names;
	}

}
