package io.pluginrpc.autoconfigure.plugin;

import java.util.List;

import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;

/**
 * What a gRPC server integration adds to the plugin's own server: the
 * {@link PluginService} beans are always served, intercepted by every contributor's
 * {@link #interceptors()}, and every contributor's {@link #services()} are served beside
 * them in every protocol version. The net.devh integration
 * ({@code io.pluginrpc.autoconfigure.grpc.netdevh}) is one; declare beans of this type
 * for others.
 */
public interface PluginServerContributor {

	/**
	 * @return services to serve in every protocol version besides the
	 * {@link PluginService} beans (e.g. plain {@code @GrpcService} beans, already
	 * intercepted as their integration wants)
	 */
	default List<ServerServiceDefinition> services() {
		return List.of();
	}

	/**
	 * @return interceptors for every {@link PluginService}, the first one outermost (it
	 * sees a call first)
	 */
	default List<ServerInterceptor> interceptors() {
		return List.of();
	}

}
