package io.pluginrpc.autoconfigure.plugin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.grpc.BindableService;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;

import org.springframework.beans.factory.ListableBeanFactory;

import io.pluginrpc.plugin.PluginStartupException;

/**
 * Sorts what the plugin serves by protocol version: {@link PluginService} beans,
 * collected from the bean factory, belong to the versions they name (intercepted by the
 * contributors' interceptors); services of {@link PluginServerContributor}s are served in
 * every version.
 */
final class PluginServiceSelector {

	private final Map<String, BindableService> pluginServices = new LinkedHashMap<>();

	private final Map<String, int[]> versionsByBean = new LinkedHashMap<>();

	private final List<PluginServerContributor> contributors;

	PluginServiceSelector(ListableBeanFactory beanFactory, List<PluginServerContributor> contributors) {
		this.contributors = List.copyOf(contributors);
		beanFactory.getBeansWithAnnotation(PluginService.class).forEach((name, bean) -> {
			if (!(bean instanceof BindableService service)) {
				throw new PluginStartupException("Bean '" + name + "' is annotated with @PluginService, but its type "
						+ bean.getClass().getName() + " is not a gRPC service implementation (io.grpc.BindableService,"
						+ " e.g. a subclass of a generated *Grpc.*ImplBase)");
			}
			this.pluginServices.put(name, service);
			this.versionsByBean.put(name, beanFactory.findAnnotationOnBean(name, PluginService.class).versions());
		});
	}

	/**
	 * @return every version some {@link PluginService} bean belongs to
	 */
	Set<Integer> versions() {
		Set<Integer> versions = new TreeSet<>();
		this.versionsByBean.values().forEach((values) -> {
			for (int version : values) {
				versions.add(version);
			}
		});
		return versions;
	}

	/**
	 * @param version the negotiated version
	 * @return the services to serve in it
	 */
	List<ServerServiceDefinition> servicesFor(int version) {
		List<ServerInterceptor> interceptors = new ArrayList<>();
		this.contributors.forEach((contributor) -> interceptors.addAll(contributor.interceptors()));
		List<ServerServiceDefinition> selected = new ArrayList<>();
		this.pluginServices.forEach((name, service) -> {
			if (contains(this.versionsByBean.get(name), version)) {
				selected.add(ServerInterceptors.interceptForward(service.bindService(), interceptors));
			}
		});
		this.contributors.forEach((contributor) -> selected.addAll(contributor.services()));
		return selected;
	}

	private static boolean contains(int[] values, int wanted) {
		for (int value : values) {
			if (value == wanted) {
				return true;
			}
		}
		return false;
	}

}
