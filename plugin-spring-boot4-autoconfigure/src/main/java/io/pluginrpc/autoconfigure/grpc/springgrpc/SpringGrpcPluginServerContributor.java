package io.pluginrpc.autoconfigure.grpc.springgrpc;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.grpc.server.service.GrpcServiceConfigurer;
import org.springframework.grpc.server.service.GrpcServiceDiscoverer;

import io.pluginrpc.autoconfigure.plugin.PluginServerContributor;
import io.pluginrpc.autoconfigure.plugin.PluginService;

/**
 * Hands Spring gRPC's global server interceptors and its discovered services to the
 * plugin's server. Spring gRPC discovers every {@code BindableService} bean; a
 * {@link PluginService} bean is left to the plugin (served only in its versions, with
 * {@link #interceptors()}), every other one is served as Spring gRPC's configurer binds
 * it (global and per-service interceptors).
 */
class SpringGrpcPluginServerContributor implements PluginServerContributor {

	private final GrpcServiceDiscoverer discoverer;

	private final GrpcServiceConfigurer configurer;

	private final ListableBeanFactory beanFactory;

	SpringGrpcPluginServerContributor(GrpcServiceDiscoverer discoverer, GrpcServiceConfigurer configurer,
			ListableBeanFactory beanFactory) {
		this.discoverer = discoverer;
		this.configurer = configurer;
		this.beanFactory = beanFactory;
	}

	@Override
	public List<ServerServiceDefinition> services() {
		Set<Object> pluginServices = identitySet(this.beanFactory.getBeansWithAnnotation(PluginService.class).values());
		return this.discoverer.findServices()
			.stream()
			.filter((spec) -> !pluginServices.contains(spec.service()))
			// No server factory: the plugin's own server is none of Spring gRPC's.
			.map((spec) -> this.configurer.configure(spec, null))
			.toList();
	}

	/**
	 * @return the {@code @GlobalServerInterceptor} beans, in their order (as Spring
	 * gRPC's configurer)
	 */
	@Override
	public List<ServerInterceptor> interceptors() {
		Set<Object> global = identitySet(
				this.beanFactory.getBeansWithAnnotation(GlobalServerInterceptor.class).values());
		return this.beanFactory.getBeanProvider(ServerInterceptor.class)
			.orderedStream()
			.filter(global::contains)
			.toList();
	}

	private static Set<Object> identitySet(java.util.Collection<Object> beans) {
		Set<Object> set = Collections.newSetFromMap(new IdentityHashMap<>());
		set.addAll(beans);
		return set;
	}

}
