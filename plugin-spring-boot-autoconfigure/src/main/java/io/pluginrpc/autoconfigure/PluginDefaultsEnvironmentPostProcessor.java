package io.pluginrpc.autoconfigure;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The one place for defaults both sides of the protocol need, as the lowest-precedence
 * property source, so anything the application sets wins:
 * {@code logging.level.io.grpc.netty.shaded.io.netty.bootstrap=error}, since grpc-netty
 * asks every Unix socket connection for {@code SO_KEEPALIVE}, which Unix sockets do not
 * have, and warns each time. Nothing here touches a gRPC server integration: a host gets
 * none from this starter, and plugin mode closes net.devh's
 * ({@code PluginModeEnvironmentPostProcessor}).
 */
public class PluginDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** Name of the property source holding the defaults. */
	public static final String PROPERTY_SOURCE_NAME = "pluginDefaults";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
			return;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME,
					Map.of("logging.level.io.grpc.netty.shaded.io.netty.bootstrap", "error")));
	}

	@Override
	public int getOrder() {
		// After config data (application.yml) is loaded, before logging is initialised.
		return Ordered.LOWEST_PRECEDENCE - 10;
	}

}
