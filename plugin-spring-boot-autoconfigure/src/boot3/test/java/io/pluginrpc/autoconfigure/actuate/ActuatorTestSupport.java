package io.pluginrpc.autoconfigure.actuate;

import java.util.Map;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration;
import org.springframework.boot.actuate.health.CompositeHealth;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.context.ApplicationContext;

/**
 * What the line-neutral actuator tests need from Spring Boot 3's Actuator; plugin-spring-boot4-autoconfigure's
 * tests have the same class for Boot 4.
 */
final class ActuatorTestSupport {

	/** The packages an application without Actuator lacks. */
	static final String[] ACTUATOR_PACKAGES = { "org.springframework.boot.actuate." };

	private ActuatorTestSupport() {
	}

	static AutoConfigurations health() {
		return AutoConfigurations.of(HealthContributorAutoConfiguration.class, HealthEndpointAutoConfiguration.class,
				EndpointAutoConfiguration.class);
	}

	static AutoConfigurations metrics() {
		return AutoConfigurations.of(MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class);
	}

	static AutoConfigurations observation() {
		return AutoConfigurations.of(ObservationAutoConfiguration.class);
	}

	/** @return the status code of {@code /actuator/health/plugins/<name>} */
	static String pluginStatus(ApplicationContext context, String name) {
		return pluginHealth(context, name).getStatus().getCode();
	}

	/** @return the details of {@code /actuator/health/plugins/<name>} */
	static Map<String, Object> pluginDetails(ApplicationContext context, String name) {
		return ((Health) pluginHealth(context, name)).getDetails();
	}

	private static HealthComponent pluginHealth(ApplicationContext context, String name) {
		HealthComponent plugins = ((CompositeHealth) context.getBean(HealthEndpoint.class).health()).getComponents()
			.get("plugins");
		return ((CompositeHealth) plugins).getComponents().get(name);
	}

}
