package io.pluginrpc.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import io.grpc.ClientInterceptor;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.binder.grpc.DefaultGrpcClientObservationConvention;
import io.micrometer.core.instrument.binder.grpc.GrpcClientObservationContext;
import io.micrometer.core.instrument.binder.grpc.ObservationGrpcClientInterceptor;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import io.pluginrpc.autoconfigure.host.PluginClientInterceptors;
import io.pluginrpc.autoconfigure.host.PluginStartObserver;
import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginEventListener;
import io.pluginrpc.host.PluginStartException;

/**
 * Micrometer observations of hosted plugins, so the application's observation handlers
 * (metrics, tracing) see them through one code path:
 * <ul>
 * <li>{@code grpc.client} for every call through a plugin's stubs (Micrometer's gRPC
 * client observation, as Spring's gRPC support uses), tagged {@code plugin=<name>}; a
 * tracer propagates its context to the plugin in the call's metadata;</li>
 * <li>{@code plugin.start} for every start and restart (tags {@code plugin},
 * {@code outcome} {@code success}/{@code failure}, {@code reason} of a failure), with a
 * {@code handshake} event when the handshake line arrived.</li>
 * </ul>
 */
public class PluginObservations implements PluginStartObserver, PluginClientInterceptors, PluginEventListener {

	/** Name of the start observation. */
	public static final String START = "plugin.start";

	private final ObservationRegistry registry;

	public PluginObservations(ObservationRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void observe(PluginClient client, Runnable start) {
		Observation observation = Observation.createNotStarted(START, this.registry)
			.contextualName("plugin start " + client.getName())
			.lowCardinalityKeyValue("plugin", client.getName())
			.start();
		try (Observation.Scope scope = observation.openScope()) {
			start.run();
			observation.lowCardinalityKeyValue("outcome", "success").lowCardinalityKeyValue("reason", "none");
		}
		catch (PluginStartException ex) {
			observation.lowCardinalityKeyValue("outcome", "failure")
				.lowCardinalityKeyValue("reason", ex.getReason().name().toLowerCase(Locale.ROOT))
				.error(ex);
			throw ex;
		}
		catch (RuntimeException ex) {
			observation.lowCardinalityKeyValue("outcome", "failure")
				.lowCardinalityKeyValue("reason", "other")
				.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	/**
	 * The handshake happens inside a start, on its thread: an event of the current start
	 * observation.
	 */
	@Override
	public void handshake(String plugin, Duration latency) {
		Observation current = this.registry.getCurrentObservation();
		if (current != null && START.equals(current.getContext().getName())) {
			current.highCardinalityKeyValue("handshake.ms", Long.toString(latency.toMillis()))
				.event(Observation.Event.of("handshake", "the plugin's handshake line arrived"));
		}
	}

	@Override
	public List<ClientInterceptor> forPlugin(String pluginName) {
		ObservationGrpcClientInterceptor interceptor = new ObservationGrpcClientInterceptor(this.registry);
		interceptor.setCustomConvention(new PluginClientObservationConvention(pluginName));
		return List.of(interceptor);
	}

	/** Micrometer's gRPC client tags, and the plugin's name. */
	static final class PluginClientObservationConvention extends DefaultGrpcClientObservationConvention {

		private final String pluginName;

		PluginClientObservationConvention(String pluginName) {
			this.pluginName = pluginName;
		}

		@Override
		public KeyValues getLowCardinalityKeyValues(GrpcClientObservationContext context) {
			return super.getLowCardinalityKeyValues(context).and("plugin", this.pluginName);
		}

	}

}
