package io.pluginrpc.autoconfigure.host;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * A host needs no gRPC server of its own (broker connections get their own sockets), so an application
 * that declares {@code plugins.*} gets the lowest-precedence default {@code grpc.server.port=-1}: net.devh
 * does not open port 9090. Set {@code grpc.server.port} to serve gRPC anyway.
 */
public class PluginHostEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** Name of the property source holding the host defaults. */
	public static final String PROPERTY_SOURCE_NAME = "pluginHostDefaults";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!ConditionalOnHostedPlugins.OnHostedPlugins.declared(environment)) {
			return;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of("grpc.server.port", "-1",
					// grpc-netty asks Unix-socket broker connections for SO_KEEPALIVE, which they do not have.
					"logging.level.io.grpc.netty.shaded.io.netty.bootstrap", "error")));
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 10;
	}

}
