package io.pluginrpc.autoconfigure.plugin;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Decides whether the application is a plugin: a magic cookie key is configured (or debug
 * mode is on) and plugin mode is not switched off. One rule, used both before the context
 * exists and as a bean condition.
 */
public final class PluginMode extends SpringBootCondition {

	/**
	 * @param environment the environment
	 * @return whether the application runs as a plugin
	 */
	public static boolean isActive(Environment environment) {
		return environment.getProperty(PluginServerProperties.PREFIX + ".enabled", Boolean.class, true)
				&& (StringUtils.hasText(environment.getProperty(PluginServerProperties.PREFIX + ".magic-cookie-key"))
						|| isDebug(environment));
	}

	/**
	 * @param environment the environment
	 * @return whether {@code plugin-server.debug} is on: the plugin serves without a host
	 */
	public static boolean isDebug(Environment environment) {
		return environment.getProperty(PluginServerProperties.PREFIX + ".debug", Boolean.class, false);
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return isActive(context.getEnvironment())
				? ConditionOutcome
					.match("plugin-server.magic-cookie-key is set or plugin-server.debug=true: plugin mode")
				: ConditionOutcome.noMatch("neither plugin-server.magic-cookie-key nor plugin-server.debug is set, "
						+ "or plugin-server.enabled=false");
	}

}
