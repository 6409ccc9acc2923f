package io.pluginrpc.autoconfigure.grpc.netdevh;

import net.devh.boot.grpc.server.interceptor.GlobalServerInterceptorRegistry;
import net.devh.boot.grpc.server.service.GrpcServiceDiscoverer;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

import io.pluginrpc.autoconfigure.plugin.PluginMode;
import io.pluginrpc.autoconfigure.plugin.PluginServerAutoConfiguration;

/**
 * The net.devh grpc-spring-boot-starter integration of the plugin side, active only when net.devh's
 * server starter is on the classpath and the application is a plugin: its global server interceptors
 * (metrics, tracing, security, your own {@code @GrpcGlobalServerInterceptor}s) apply to the
 * {@code @PluginService} beans, and its {@code @GrpcService} beans (health, reflection v1alpha, your own)
 * are served on the plugin's socket in every protocol version. net.devh's own server stays closed in
 * plugin mode ({@code grpc.server.port=-1}, see {@code PluginModeEnvironmentPostProcessor}).
 */
@AutoConfiguration(before = PluginServerAutoConfiguration.class,
		afterName = { "net.devh.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration",
				"net.devh.boot.grpc.server.autoconfigure.GrpcServerMetricAutoConfiguration",
				"net.devh.boot.grpc.server.autoconfigure.GrpcServerMicrometerTraceAutoConfiguration",
				"net.devh.boot.grpc.server.autoconfigure.GrpcServerSecurityAutoConfiguration",
				"net.devh.boot.grpc.server.autoconfigure.GrpcHealthServiceAutoConfiguration",
				"net.devh.boot.grpc.server.autoconfigure.GrpcReflectionServiceAutoConfiguration" })
@ConditionalOnClass(GrpcServiceDiscoverer.class)
@Conditional(PluginMode.class)
public class NetDevhPluginServerAutoConfiguration {

	/** The class whose presence turns the integration on. */
	public static final String MARKER_CLASS = "net.devh.boot.grpc.server.service.GrpcServiceDiscoverer";

	@Bean
	@ConditionalOnBean({ GrpcServiceDiscoverer.class, GlobalServerInterceptorRegistry.class })
	NetDevhPluginServerContributor netDevhPluginServerContributor(GrpcServiceDiscoverer discoverer,
			GlobalServerInterceptorRegistry interceptors, ListableBeanFactory beanFactory) {
		return new NetDevhPluginServerContributor(discoverer, interceptors, beanFactory);
	}

}
