package io.pluginrpc.autoconfigure.host;

import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.ConstructorArgumentValues.ValueHolder;

/**
 * The AOT contribution for what is configured by class name in
 * {@code plugins.<name>.protocol-versions}: the {@code *Grpc} classes of the registered
 * stubs are loaded by name, their stub factory methods called and their
 * {@code SERVICE_NAME} read reflectively when the beans are created, so each gets
 * reflection hints.
 */
class PluginStubsAotProcessor implements BeanFactoryInitializationAotProcessor {

	@Override
	public BeanFactoryInitializationAotContribution processAheadOfTime(ConfigurableListableBeanFactory beanFactory) {
		Set<Class<?>> grpcClasses = new LinkedHashSet<>();
		for (String name : beanFactory.getBeanDefinitionNames()) {
			BeanDefinition definition = beanFactory.getBeanDefinition(name);
			if (PluginClientFactory.BEAN_NAME.equals(definition.getFactoryBeanName())
					&& "stub".equals(definition.getFactoryMethodName())) {
				ValueHolder grpcClass = definition.getConstructorArgumentValues()
					.getIndexedArgumentValue(1, Class.class);
				if (grpcClass != null && grpcClass.getValue() instanceof Class<?> type) {
					grpcClasses.add(type);
				}
			}
		}
		if (grpcClasses.isEmpty()) {
			return null;
		}
		return (context,
				code) -> grpcClasses.forEach((type) -> context.getRuntimeHints()
					.reflection()
					.registerType(type, MemberCategory.INVOKE_PUBLIC_METHODS, MemberCategory.PUBLIC_FIELDS));
	}

}
