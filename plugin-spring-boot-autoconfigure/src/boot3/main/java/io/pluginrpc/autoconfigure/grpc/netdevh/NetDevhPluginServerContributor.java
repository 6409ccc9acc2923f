package io.pluginrpc.autoconfigure.grpc.netdevh;

import java.util.List;

import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import net.devh.boot.grpc.server.interceptor.GlobalServerInterceptorRegistry;
import net.devh.boot.grpc.server.service.GrpcServiceDefinition;
import net.devh.boot.grpc.server.service.GrpcServiceDiscoverer;

import org.springframework.beans.factory.ListableBeanFactory;

import io.pluginrpc.autoconfigure.plugin.PluginServerContributor;
import io.pluginrpc.autoconfigure.plugin.PluginService;

/**
 * Hands net.devh's global server interceptors and {@code @GrpcService} beans to the plugin's server.
 * A bean that carries both annotations is a {@link PluginService} and served only in its versions.
 */
class NetDevhPluginServerContributor implements PluginServerContributor {

	private final GrpcServiceDiscoverer discoverer;

	private final GlobalServerInterceptorRegistry interceptors;

	private final ListableBeanFactory beanFactory;

	NetDevhPluginServerContributor(GrpcServiceDiscoverer discoverer, GlobalServerInterceptorRegistry interceptors,
			ListableBeanFactory beanFactory) {
		this.discoverer = discoverer;
		this.interceptors = interceptors;
		this.beanFactory = beanFactory;
	}

	@Override
	public List<ServerServiceDefinition> services() {
		return this.discoverer.findGrpcServices()
			.stream()
			.filter((service) -> this.beanFactory.findAnnotationOnBean(service.getBeanName(), PluginService.class) == null)
			.map(GrpcServiceDefinition::getDefinition)
			.toList();
	}

	@Override
	public List<ServerInterceptor> interceptors() {
		return this.interceptors.getServerInterceptors();
	}

}
