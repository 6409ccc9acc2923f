package io.pluginrpc.autoconfigure.host;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the application declares {@code plugins.*}. Plugin clients are registered by a registry
 * post-processor, after bean conditions are evaluated, so {@code @ConditionalOnBean(PluginClient.class)}
 * cannot see them; the configuration can.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(ConditionalOnHostedPlugins.OnHostedPlugins.class)
public @interface ConditionalOnHostedPlugins {

	/** The condition, also usable before the context exists. */
	class OnHostedPlugins extends SpringBootCondition {

		/**
		 * @param environment the environment
		 * @return whether any {@code plugins.*} property is set
		 */
		public static boolean declared(Environment environment) {
			if (environment instanceof ConfigurableEnvironment configurable) {
				for (var source : configurable.getPropertySources()) {
					if (source instanceof EnumerablePropertySource<?> enumerable) {
						for (String name : enumerable.getPropertyNames()) {
							if (name.startsWith(PluginsProperties.PREFIX + ".")) {
								return true;
							}
						}
					}
				}
			}
			return false;
		}

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return declared(context.getEnvironment()) ? ConditionOutcome.match("plugins.* is configured")
					: ConditionOutcome.noMatch("no plugins.* property");
		}

	}

}
