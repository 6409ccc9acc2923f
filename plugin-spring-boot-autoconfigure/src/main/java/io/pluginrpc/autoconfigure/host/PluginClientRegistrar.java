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

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.util.ReflectionUtils;

import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginClientConfig;
import io.pluginrpc.host.PluginEventListener;
import io.pluginrpc.host.PluginHost;
import io.pluginrpc.host.PluginInitializer;

/**
 * Registers, for every {@code plugins.<name>}, a {@link ManagedPluginClient} bean named {@code <name>}
 * and, for every {@code *Grpc} class configured for it, its blocking, async and future stubs, qualified
 * with the plugin's name ({@code @Qualifier("kv")}) and named {@code <name><StubClass>}. Stubs sit on the
 * client's following channel, so they are created once and survive plugin restarts. Since the version
 * is negotiated at run time, stubs of every configured version are registered; a call to a service the
 * negotiated version does not include fails with FAILED_PRECONDITION naming the plugin
 * ({@link NegotiatedVersionInterceptor}).
 */
public class PluginClientRegistrar implements BeanDefinitionRegistryPostProcessor, EnvironmentAware {

	private static final String[] STUB_FACTORIES = { "newBlockingStub", "newStub", "newFutureStub" };

	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) throws BeansException {
		Map<String, PluginProperties> plugins = Binder.get(this.environment)
			.bind(PluginsProperties.PREFIX, Bindable.mapOf(String.class, PluginProperties.class))
			.orElse(Map.of());
		ClassLoader classLoader = getClass().getClassLoader();
		if (registry instanceof ConfigurableListableBeanFactory factory && factory.getBeanClassLoader() != null) {
			classLoader = factory.getBeanClassLoader();
		}
		PluginConfigFactory configs = new PluginConfigFactory(classLoader, hostOnlyVariables());
		BeanFactory beanFactory = (BeanFactory) registry;
		plugins.forEach((name, properties) -> {
			RootBeanDefinition client = new RootBeanDefinition(ManagedPluginClient.class,
					() -> createClient(beanFactory, configs, name, properties));
			client.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
			registry.registerBeanDefinition(name, client);
			for (Class<?> grpcClass : configs.allServiceClasses(name, properties)) {
				for (String factoryName : STUB_FACTORIES) {
					registerStub(registry, beanFactory, name, grpcClass, factoryName);
				}
			}
		});
	}

	/** The host's own magic cookie, when it is itself a plugin: its plugins must not inherit it. */
	private Set<String> hostOnlyVariables() {
		String ownCookie = this.environment.getProperty("plugin-server.magic-cookie-key");
		return (ownCookie != null && !ownCookie.isBlank()) ? Set.of(ownCookie) : Set.of();
	}

	private static ManagedPluginClient createClient(BeanFactory beanFactory, PluginConfigFactory configs, String name,
			PluginProperties properties) {
		List<PluginEventListener> listeners = beanFactory.getBeanProvider(PluginEventListener.class).orderedStream().toList();
		PluginClientConfig config = configs.create(name, properties);
		List<ClientInterceptor> interceptors = new ArrayList<>();
		// First in the list, so it runs right before the plugin's channel, after every contributed one.
		AtomicReference<PluginClient> client = new AtomicReference<>();
		interceptors.add(new NegotiatedVersionInterceptor(name, serviceNames(configs.serviceClasses(name, properties)),
				() -> (client.get() != null) ? client.get().getNegotiatedVersion() : null));
		beanFactory.getBeanProvider(PluginClientInterceptors.class)
			.orderedStream()
			.forEach((contributor) -> interceptors.addAll(contributor.forPlugin(name)));
		List<PluginInitializer> initializers = beanFactory.getBeanProvider(PluginInitializer.class).orderedStream().toList();
		ManagedPluginClient managed = new ManagedPluginClient(config, beanFactory.getBean(PluginHost.class),
				configs.restartPolicy(name, properties.getRestart()), new CompositePluginEventListener(listeners),
				initializers, properties.isFailFast(), interceptors,
				beanFactory.getBeanProvider(PluginStartObserver.class).getIfAvailable(() -> PluginStartObserver.NONE));
		client.set(managed);
		return managed;
	}

	/** @return each version's gRPC service names, from the {@code SERVICE_NAME} of its *Grpc classes */
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

	private static void registerStub(BeanDefinitionRegistry registry, BeanFactory beanFactory, String plugin,
			Class<?> grpcClass, String factoryName) {
		Method factory = ReflectionUtils.findMethod(grpcClass, factoryName, Channel.class);
		if (factory == null) {
			return;
		}
		@SuppressWarnings("unchecked")
		Class<Object> stubType = (Class<Object>) factory.getReturnType();
		RootBeanDefinition stub = new RootBeanDefinition(stubType,
				() -> ReflectionUtils.invokeMethod(factory, null, beanFactory.getBean(plugin, PluginClient.class).channel()));
		stub.addQualifier(new AutowireCandidateQualifier(Qualifier.class, plugin));
		registry.registerBeanDefinition(plugin + stubType.getSimpleName(), stub);
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
	}

}
