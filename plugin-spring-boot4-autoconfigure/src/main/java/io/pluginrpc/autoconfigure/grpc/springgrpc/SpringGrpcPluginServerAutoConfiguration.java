package io.pluginrpc.autoconfigure.grpc.springgrpc;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.grpc.server.service.GrpcServiceConfigurer;
import org.springframework.grpc.server.service.GrpcServiceDiscoverer;

import io.pluginrpc.autoconfigure.plugin.PluginMode;
import io.pluginrpc.autoconfigure.plugin.PluginServerAutoConfiguration;

/**
 * The Spring gRPC integration of the plugin side (Spring Boot 4.1's
 * {@code spring-boot-starter-grpc-server}), active only when it is on the classpath and
 * the application is a plugin: its global server interceptors
 * ({@code @GlobalServerInterceptor} beans: observation, security, exception handling,
 * your own) apply to the {@code @PluginService} beans, and its other services
 * ({@code BindableService} beans: health, reflection v1, your own) are served, through
 * its service configurer, on the plugin's socket in every protocol version. Boot's own
 * gRPC server stays closed in plugin mode
 * ({@code spring.grpc.server.factory.enabled=false}, see
 * {@code PluginModeEnvironmentPostProcessor}); its service discoverer and configurer do
 * not depend on it.
 */
@AutoConfiguration(before = PluginServerAutoConfiguration.class,
		afterName = { "org.springframework.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration",
				"org.springframework.boot.grpc.server.autoconfigure.GrpcServerServicesAutoConfiguration",
				"org.springframework.boot.grpc.server.autoconfigure.GrpcServerObservationAutoConfiguration",
				"org.springframework.boot.grpc.server.autoconfigure.security.GrpcServerSecurityAutoConfiguration",
				"org.springframework.boot.grpc.server.autoconfigure.health.GrpcServerHealthAutoConfiguration" })
@ConditionalOnClass(GrpcServiceDiscoverer.class)
@Conditional(PluginMode.class)
public class SpringGrpcPluginServerAutoConfiguration {

	/**
	 * The class whose presence means Boot 4.1's gRPC server support is on the classpath.
	 */
	public static final String MARKER_CLASS = "org.springframework.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration";

	@Bean
	@ConditionalOnBean({ GrpcServiceDiscoverer.class, GrpcServiceConfigurer.class })
	SpringGrpcPluginServerContributor springGrpcPluginServerContributor(GrpcServiceDiscoverer discoverer,
			GrpcServiceConfigurer configurer, ListableBeanFactory beanFactory) {
		return new SpringGrpcPluginServerContributor(discoverer, configurer, beanFactory);
	}

}
