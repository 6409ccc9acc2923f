package io.pluginrpc.autoconfigure.host;

import java.util.List;

import io.grpc.ClientInterceptor;

/**
 * Contributes interceptors to every call a hosted plugin's stubs make (metrics, tracing,
 * headers). Declare beans of this type; they apply in their order.
 */
@FunctionalInterface
public interface PluginClientInterceptors {

	/**
	 * @param pluginName the plugin
	 * @return interceptors for its calls
	 */
	List<ClientInterceptor> forPlugin(String pluginName);

}
