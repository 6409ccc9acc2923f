package io.pluginrpc.autoconfigure.plugin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.grpc.ServerServiceDefinition;
import net.devh.boot.grpc.server.service.GrpcServiceDefinition;
import org.springframework.beans.factory.ListableBeanFactory;

/**
 * Sorts the services net.devh discovered by protocol version: {@link PluginService} beans belong to
 * the versions they name; any other service (health, reflection, plain {@code @GrpcService} beans) is
 * served in every version.
 */
final class PluginServiceSelector {

	private final ListableBeanFactory beanFactory;

	private final Collection<GrpcServiceDefinition> services;

	PluginServiceSelector(ListableBeanFactory beanFactory, Collection<GrpcServiceDefinition> services) {
		this.beanFactory = beanFactory;
		this.services = services;
	}

	/** @return every version some {@link PluginService} bean belongs to */
	Set<Integer> versions() {
		Set<Integer> versions = new TreeSet<>();
		for (GrpcServiceDefinition service : this.services) {
			PluginService annotation = annotation(service);
			if (annotation != null) {
				for (int version : annotation.versions()) {
					versions.add(version);
				}
			}
		}
		return versions;
	}

	/**
	 * @param version the negotiated version
	 * @return the services to serve in it
	 */
	List<ServerServiceDefinition> servicesFor(int version) {
		List<ServerServiceDefinition> selected = new ArrayList<>();
		for (GrpcServiceDefinition service : this.services) {
			PluginService annotation = annotation(service);
			if (annotation == null || contains(annotation.versions(), version)) {
				selected.add(service.getDefinition());
			}
		}
		return selected;
	}

	private PluginService annotation(GrpcServiceDefinition service) {
		return this.beanFactory.findAnnotationOnBean(service.getBeanName(), PluginService.class);
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
