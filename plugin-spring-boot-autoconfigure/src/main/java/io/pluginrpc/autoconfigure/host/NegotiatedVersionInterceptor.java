package io.pluginrpc.autoconfigure.host;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.grpc.Status;

import io.pluginrpc.host.FailedClientCall;

/**
 * Stubs are registered for the services of every configured protocol version, but the
 * plugin serves only those of the version it negotiated: a call to a service that version
 * does not include fails at once with FAILED_PRECONDITION naming the plugin, the
 * negotiated version and the versions that do include the service, instead of going to
 * the plugin for a bare UNIMPLEMENTED. Calls to services the configuration does not
 * mention, and calls while the plugin is not connected, pass through.
 */
final class NegotiatedVersionInterceptor implements ClientInterceptor {

	private final String pluginName;

	private final Map<Integer, Set<String>> servicesByVersion;

	private final Supplier<Integer> negotiatedVersion;

	/**
	 * @param pluginName the plugin, for messages
	 * @param servicesByVersion the gRPC service names ({@code SERVICE_NAME} of the *Grpc
	 * classes) configured for each version
	 * @param negotiatedVersion the version of the current connection, {@code null} when
	 * not connected
	 */
	NegotiatedVersionInterceptor(String pluginName, Map<Integer, Set<String>> servicesByVersion,
			Supplier<Integer> negotiatedVersion) {
		this.pluginName = pluginName;
		this.servicesByVersion = Map.copyOf(servicesByVersion);
		this.negotiatedVersion = negotiatedVersion;
	}

	@Override
	public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
		Integer version = this.negotiatedVersion.get();
		String service = method.getServiceName();
		Set<String> negotiated = (version != null) ? this.servicesByVersion.get(version) : null;
		if (negotiated == null || service == null || negotiated.contains(service)) {
			return next.newCall(method, options);
		}
		Set<Integer> offering = new TreeSet<>();
		this.servicesByVersion.forEach((v, services) -> {
			if (services.contains(service)) {
				offering.add(v);
			}
		});
		if (offering.isEmpty()) {
			return next.newCall(method, options);
		}
		return new FailedClientCall<>(Status.FAILED_PRECONDITION.withDescription("Plugin '" + this.pluginName
				+ "' negotiated protocol version " + version + ", which does not include service " + service
				+ " (configured for version" + ((offering.size() == 1) ? " " : "s ") + offering + " in plugins."
				+ this.pluginName + ".protocol-versions); cannot call " + method.getFullMethodName()));
	}

}
