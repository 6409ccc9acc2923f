package io.pluginrpc.autoconfigure.plugin;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.stereotype.Component;

/**
 * Marks a gRPC service implementation (a {@link io.grpc.BindableService}) that this
 * application serves as a go-plugin plugin, on the plugin's own socket, when the host
 * negotiates one of its {@link #versions()}. It is a {@link Component}, so classpath
 * scanning finds it; a {@code @Bean} of an annotated class works too. The services are
 * collected from the bean factory, whatever gRPC server integration is on the classpath;
 * the interceptors of one that is (net.devh's global interceptors, metrics and security)
 * apply to them ({@link PluginServerContributor}).
 *
 * <pre class="code">
 * &#64;PluginService
 * class KvService extends KVGrpc.KVImplBase { ... }
 * </pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
public @interface PluginService {

	/**
	 * The application protocol versions this service belongs to (go-plugin's
	 * {@code VersionedPlugins} keys). The plugin serves the highest version the host also
	 * offers.
	 * @return the versions, 1 by default
	 */
	int[] versions() default { 1 };

}
