package io.pluginrpc.autoconfigure.plugin;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import net.devh.boot.grpc.server.service.GrpcService;

/**
 * Marks a gRPC service implementation that this application serves as a go-plugin plugin. It is a
 * net.devh {@link GrpcService} (so global interceptors, metrics and security apply), served on the
 * plugin's own socket only when the host negotiates one of its {@link #versions()}.
 *
 * <pre class="code">
 * &#64;PluginService
 * class KvService extends KVGrpc.KVImplBase { ... }
 * </pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@GrpcService
public @interface PluginService {

	/**
	 * The application protocol versions this service belongs to (go-plugin's {@code VersionedPlugins}
	 * keys). The plugin serves the highest version the host also offers.
	 * @return the versions, 1 by default
	 */
	int[] versions() default { 1 };

}
