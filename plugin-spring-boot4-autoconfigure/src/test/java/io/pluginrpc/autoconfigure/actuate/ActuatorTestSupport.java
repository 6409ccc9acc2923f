package io.pluginrpc.autoconfigure.actuate;

import java.util.Map;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.context.ApplicationContext;

/**
 * What the line-neutral actuator tests need from Spring Boot 4's health and metrics
 * modules; plugin-spring-boot-autoconfigure's Boot 3 tests have the same class for Boot
 * 3.
 */
final class ActuatorTestSupport {

	/**
	 * The packages an application without Actuator lacks (Boot 4 split health and metrics
	 * out of it).
	 */
	static final String[] ACTUATOR_PACKAGES = { "org.springframework.boot.actuate.", "org.springframework.boot.health.",
			"org.springframework.boot.micrometer." };

	private ActuatorTestSupport() {
	}

	static AutoConfigurations health() {
		// Boot 4: the contributor registry is an auto-configuration of its own.
		return AutoConfigurations.of(HealthContributorAutoConfiguration.class,
				HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class,
				EndpointAutoConfiguration.class);
	}

	static AutoConfigurations metrics() {
		return AutoConfigurations.of(MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class);
	}

	static AutoConfigurations observation() {
		return AutoConfigurations.of(ObservationAutoConfiguration.class);
	}

	/**
	 * @return the status code of {@code /actuator/health/plugins/<name>}
	 */
	static String pluginStatus(ApplicationContext context, String name) {
		return pluginHealth(context, name).getStatus().getCode();
	}

	/**
	 * @return the details of {@code /actuator/health/plugins/<name>}
	 */
	static Map<String, Object> pluginDetails(ApplicationContext context, String name) {
		return ((IndicatedHealthDescriptor) pluginHealth(context, name)).getDetails();
	}

	private static HealthDescriptor pluginHealth(ApplicationContext context, String name) {
		HealthDescriptor plugins = ((CompositeHealthDescriptor) context.getBean(HealthEndpoint.class).health())
			.getComponents()
			.get("plugins");
		return ((CompositeHealthDescriptor) plugins).getComponents().get(name);
	}

}
