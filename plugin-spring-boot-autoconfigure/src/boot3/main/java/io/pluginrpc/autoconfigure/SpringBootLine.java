package io.pluginrpc.autoconfigure;

import io.pluginrpc.autoconfigure.grpc.netdevh.NetDevhPluginServerAutoConfiguration;

/**
 * The names the line-neutral auto-configuration needs from Spring Boot that differ between Boot 3 and Boot 4
 * (Boot 4 moved health, metrics, observation and Gson into modules of their own): this is the Spring Boot 3.5
 * line's copy; plugin-spring-boot4-autoconfigure has the same class with Boot 4's names. Constants, so they can
 * appear in annotations ({@code afterName}, {@code @ConditionalOnClass(name = ...)}).
 */
public final class SpringBootLine {

	/** Which line this is, for messages. */
	public static final String NAME = "Spring Boot 3";

	/** Actuator's health endpoint auto-configuration (the plugin-side health bridge comes after it). */
	public static final String HEALTH_ENDPOINT_AUTO_CONFIGURATION = "org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration";

	/** Actuator's health contributor type: the host-side health support needs it. */
	public static final String HEALTH_CONTRIBUTOR = "org.springframework.boot.actuate.health.HealthContributor";

	/** The metrics auto-configuration (the plugin meters come after it). */
	public static final String METRICS_AUTO_CONFIGURATION = "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration";

	/** The composite meter registry auto-configuration (the plugin meters come after it). */
	public static final String COMPOSITE_METER_REGISTRY_AUTO_CONFIGURATION = "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration";

	/** The observation auto-configuration (the plugin observations come after it). */
	public static final String OBSERVATION_AUTO_CONFIGURATION = "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration";

	/** Gson's auto-configuration, which plugin mode leaves out. */
	public static final String GSON_AUTO_CONFIGURATION = "org.springframework.boot.autoconfigure.gson.GsonAutoConfiguration";

	/** The gRPC server integration's health auto-configuration, whose HealthStatusManager the plugin shares. */
	public static final String GRPC_HEALTH_AUTO_CONFIGURATION = "net.devh.boot.grpc.server.autoconfigure.GrpcHealthServiceAutoConfiguration";

	/** A class whose presence means the gRPC server integration (net.devh) is on the classpath. */
	public static final String GRPC_SERVER_MARKER_CLASS = NetDevhPluginServerAutoConfiguration.MARKER_CLASS;

	/** The property plugin mode sets to keep the integration's own network server closed. */
	public static final String GRPC_SERVER_OFF_PROPERTY = "grpc.server.port";

	/** Its value. */
	public static final String GRPC_SERVER_OFF_VALUE = "-1";

	private SpringBootLine() {
	}

}
