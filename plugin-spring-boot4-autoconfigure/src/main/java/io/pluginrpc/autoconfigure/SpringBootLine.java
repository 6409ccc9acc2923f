package io.pluginrpc.autoconfigure;

import io.pluginrpc.autoconfigure.grpc.springgrpc.SpringGrpcPluginServerAutoConfiguration;

/**
 * The names the line-neutral auto-configuration needs from Spring Boot that differ
 * between Boot 3 and Boot 4 (Boot 4 moved health, metrics, observation and Gson into
 * modules of their own): this is the Spring Boot 4 line's copy;
 * plugin-spring-boot-autoconfigure has the same class with Boot 3's names. Constants, so
 * they can appear in annotations ({@code afterName},
 * {@code @ConditionalOnClass(name = ...)}).
 */
public final class SpringBootLine {

	/** Which line this is, for messages. */
	public static final String NAME = "Spring Boot 4";

	/**
	 * Actuator's health endpoint auto-configuration (the plugin-side health bridge comes
	 * after it).
	 */
	public static final String HEALTH_ENDPOINT_AUTO_CONFIGURATION = "org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration";

	/** The health contributor type: the host-side health support needs it. */
	public static final String HEALTH_CONTRIBUTOR = "org.springframework.boot.health.contributor.HealthContributor";

	/** The metrics auto-configuration (the plugin meters come after it). */
	public static final String METRICS_AUTO_CONFIGURATION = "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration";

	/**
	 * The composite meter registry auto-configuration (the plugin meters come after it).
	 */
	public static final String COMPOSITE_METER_REGISTRY_AUTO_CONFIGURATION = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration";

	/** The observation auto-configuration (the plugin observations come after it). */
	public static final String OBSERVATION_AUTO_CONFIGURATION = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration";

	/** Gson's auto-configuration, which plugin mode leaves out. */
	public static final String GSON_AUTO_CONFIGURATION = "org.springframework.boot.gson.autoconfigure.GsonAutoConfiguration";

	/**
	 * Boot 4.1's gRPC server health auto-configuration, whose HealthStatusManager the
	 * plugin shares.
	 */
	public static final String GRPC_HEALTH_AUTO_CONFIGURATION = "org.springframework.boot.grpc.server.autoconfigure.health.GrpcServerHealthAutoConfiguration";

	/**
	 * A class whose presence means Boot 4.1's gRPC server support is on the classpath.
	 */
	public static final String GRPC_SERVER_MARKER_CLASS = SpringGrpcPluginServerAutoConfiguration.MARKER_CLASS;

	/**
	 * The property plugin mode sets to keep Boot's own gRPC network server closed: its
	 * service discovery and configurer stay, and the plugin's server uses them.
	 */
	public static final String GRPC_SERVER_OFF_PROPERTY = "spring.grpc.server.factory.enabled";

	/** Its value. */
	public static final String GRPC_SERVER_OFF_VALUE = "false";

	private SpringBootLine() {
	}

}
