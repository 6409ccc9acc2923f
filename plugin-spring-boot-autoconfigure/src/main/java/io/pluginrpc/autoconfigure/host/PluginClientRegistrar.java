package io.pluginrpc.autoconfigure.host;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;

import io.grpc.Channel;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Registers, for every {@code plugins.<name>}, a {@link ManagedPluginClient} bean named
 * {@code <name>} and, for every {@code *Grpc} class configured for it, its blocking,
 * async and future stubs, qualified with the plugin's name ({@code @Qualifier("kv")}) and
 * named {@code <name><StubClass>}. Stubs sit on the client's following channel, so they
 * are created once and survive plugin restarts. Since the version is negotiated at run
 * time, stubs of every configured version are registered; a call to a service the
 * negotiated version does not include fails with FAILED_PRECONDITION naming the plugin
 * ({@link NegotiatedVersionInterceptor}).
 * <p>
 * Imported by {@link PluginHostAutoConfiguration}, so the beans exist when later
 * auto-configurations evaluate {@code @ConditionalOnBean(PluginClient.class)}. The
 * definitions are factory methods of {@link PluginClientFactory} with the plugin's name
 * (and the stub's class) as arguments and a target type, as spring-grpc registers its
 * clients: Spring AOT turns them into generated code, and the plugin's configuration is
 * bound when the bean is created.
 */
class PluginClientRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanClassLoaderAware {

	private static final String[] STUB_FACTORIES = { "newBlockingStub", "newStub", "newFutureStub" };

	private Environment environment;

	private ClassLoader classLoader = ClassUtils.getDefaultClassLoader();

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setBeanClassLoader(ClassLoader classLoader) {
		this.classLoader = classLoader;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		Map<String, PluginProperties> plugins = Binder.get(this.environment)
			.bind(PluginsProperties.PREFIX, Bindable.mapOf(String.class, PluginProperties.class))
			.orElse(Map.of());
		PluginConfigFactory configs = new PluginConfigFactory(this.classLoader, Set.of());
		plugins.forEach((name, properties) -> {
			RootBeanDefinition client = new RootBeanDefinition();
			client.setFactoryBeanName(PluginClientFactory.BEAN_NAME);
			client.setUniqueFactoryMethodName("client");
			client.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
			client.setTargetType(ManagedPluginClient.class);
			client.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
			registry.registerBeanDefinition(name, client);
			for (Class<?> grpcClass : configs.allServiceClasses(name, properties)) {
				for (String factoryName : STUB_FACTORIES) {
					registerStub(registry, name, grpcClass, factoryName);
				}
			}
		});
	}

	private static void registerStub(BeanDefinitionRegistry registry, String plugin, Class<?> grpcClass,
			String factoryName) {
		Method factory = ReflectionUtils.findMethod(grpcClass, factoryName, Channel.class);
		if (factory == null) {
			return;
		}
		Class<?> stubType = factory.getReturnType();
		RootBeanDefinition stub = new RootBeanDefinition();
		stub.setFactoryBeanName(PluginClientFactory.BEAN_NAME);
		stub.setUniqueFactoryMethodName("stub");
		stub.getConstructorArgumentValues().addIndexedArgumentValue(0, plugin);
		stub.getConstructorArgumentValues().addIndexedArgumentValue(1, grpcClass);
		stub.getConstructorArgumentValues().addIndexedArgumentValue(2, factoryName);
		stub.setTargetType(stubType);
		stub.addQualifier(new AutowireCandidateQualifier(Qualifier.class, plugin));
		registry.registerBeanDefinition(plugin + stubType.getSimpleName(), stub);
	}

}
