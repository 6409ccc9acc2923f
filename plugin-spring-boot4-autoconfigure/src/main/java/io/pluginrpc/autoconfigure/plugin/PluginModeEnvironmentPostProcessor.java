package io.pluginrpc.autoconfigure.plugin;

import java.util.function.Supplier;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.bootstrap.BootstrapContextClosedEvent;
import org.springframework.boot.bootstrap.BootstrapRegistry.InstanceSupplier;
import org.springframework.boot.bootstrap.ConfigurableBootstrapContext;

/**
 * {@link PluginModeEnvironment} on Spring Boot 4's bootstrap context
 * ({@code org.springframework.boot.bootstrap}), which Boot passes to this constructor.
 */
public class PluginModeEnvironmentPostProcessor extends PluginModeEnvironment {

	/**
	 * @param bootstrapContext where the objects made before the application context
	 * exists are kept
	 */
	public PluginModeEnvironmentPostProcessor(ConfigurableBootstrapContext bootstrapContext) {
		super(new BootstrapObjects(bootstrapContext));
	}

	private record BootstrapObjects(ConfigurableBootstrapContext context) implements EarlyObjects {

		@Override
		public <T> T register(Class<T> type, Supplier<T> supplier) {
			if (!this.context.isRegistered(type)) {
				this.context.register(type, InstanceSupplier.from(supplier));
				this.context.addCloseListener((event) -> registerSingleton(event, type));
			}
			return this.context.get(type);
		}

		private static <T> void registerSingleton(BootstrapContextClosedEvent event, Class<T> type) {
			ConfigurableListableBeanFactory beanFactory = event.getApplicationContext().getBeanFactory();
			if (beanFactory.getBeanNamesForType(type, true, false).length == 0) {
				beanFactory.registerSingleton(type.getName(), event.getBootstrapContext().get(type));
			}
		}

	}

}
