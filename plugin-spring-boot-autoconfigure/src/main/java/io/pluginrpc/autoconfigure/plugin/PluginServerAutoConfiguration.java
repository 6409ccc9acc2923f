package io.pluginrpc.autoconfigure.plugin;

import io.grpc.BindableService;
import io.grpc.protobuf.services.HealthStatusManager;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.StringUtils;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;

import io.pluginrpc.autoconfigure.SpringBootLine;
import io.pluginrpc.core.broker.PluginBroker;
import io.pluginrpc.core.tls.TlsIdentity;
import io.pluginrpc.plugin.EarlyCertificate;
import io.pluginrpc.plugin.PluginParent;
import io.pluginrpc.plugin.PluginStartupException;
import io.pluginrpc.plugin.PluginServer;
import io.pluginrpc.plugin.PluginServerSettings;
import io.pluginrpc.plugin.PluginStdout;

/**
 * Serves the application's {@link PluginService} beans as a go-plugin plugin when
 * {@code plugin-server.magic-cookie-key} is set, on the plugin's own server: no gRPC
 * server integration is needed, and one that is present contributes through
 * {@link PluginServerContributor} beans. Actuator health, where present, drives the gRPC
 * {@code plugin} health status ({@link PluginServerHealthConfiguration}, one per Spring
 * Boot line); the plugin shares the gRPC integration's HealthStatusManager where there is
 * one. The {@link PluginStdout}, {@link PluginParent} and {@link EarlyCertificate} that
 * {@link PluginModeEnvironmentPostProcessor} made at start are injected; without them (a
 * test context, debug mode) fresh ones stand in.
 */
@AutoConfiguration(after = SslAutoConfiguration.class,
		afterName = { SpringBootLine.HEALTH_ENDPOINT_AUTO_CONFIGURATION,
				SpringBootLine.GRPC_HEALTH_AUTO_CONFIGURATION })
@ConditionalOnClass(BindableService.class)
@Conditional(PluginMode.class)
@EnableConfigurationProperties(PluginServerProperties.class)
@Import(PluginServerHealthConfiguration.class)
public class PluginServerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PluginServer pluginServer(PluginServerProperties properties, ObjectProvider<HealthStatusManager> health,
			ObjectProvider<SslBundles> sslBundles, ObjectProvider<EarlyCertificate> earlyCertificate) {
		PluginServerSettings settings = new PluginServerSettings(System.getenv(), properties.getNetwork().value(),
				properties.getShutdownGracePeriod(), properties.getBrokerTimeout(), tls(properties, sslBundles),
				properties.isDebug());
		return PluginServer.prepare(settings, health.getIfAvailable(HealthStatusManager::new),
				earlyCertificate.getIfAvailable(EarlyCertificate::new));
	}

	private static TlsIdentity tls(PluginServerProperties properties, ObjectProvider<SslBundles> sslBundles) {
		String bundle = properties.getTls().getBundle();
		if (!StringUtils.hasText(bundle)) {
			return null;
		}
		SslBundles bundles = sslBundles.getIfAvailable();
		if (bundles == null) {
			throw new PluginStartupException(PluginServerProperties.PREFIX + ".tls.bundle names the SSL bundle '"
					+ bundle
					+ "', but the application has no SslBundles (Spring Boot's SslAutoConfiguration is excluded)");
		}
		try {
			return SslBundleTls.identity(bundle, bundles.getBundle(bundle));
		}
		catch (NoSuchSslBundleException ex) {
			throw new PluginStartupException(PluginServerProperties.PREFIX + ".tls.bundle names the SSL bundle '"
					+ bundle + "', which is not configured (spring.ssl.bundle.pem." + bundle
					+ ".* or spring.ssl.bundle.jks." + bundle + ".*)", ex);
		}
	}

	@Bean
	@ConditionalOnMissingBean
	PluginBroker pluginBroker(PluginServer pluginServer) {
		return pluginServer.broker();
	}

	@Bean
	@ConditionalOnMissingBean
	PluginHandshakeOutput pluginHandshakeOutput(ObjectProvider<PluginStdout> stdout) {
		return stdout.getIfAvailable(PluginStdout::new)::writeHandshake;
	}

	@Bean
	@ConditionalOnMissingBean
	PluginExit pluginExit(ConfigurableApplicationContext context) {
		return new ApplicationPluginExit(context);
	}

	@Bean
	@ConditionalOnMissingBean
	StdioRedirect pluginStdioRedirect(PluginServerProperties properties) {
		return new CapturedStdioRedirect((int) Math.min(Integer.MAX_VALUE, properties.getStdioBufferSize().toBytes()),
				properties.isRedirectStdio());
	}

	@Bean
	PluginServerLifecycle pluginServerLifecycle(PluginServer pluginServer, PluginServerProperties properties,
			ObjectProvider<PluginServerContributor> contributors, ConfigurableApplicationContext context,
			StdioRedirect stdio, PluginHandshakeOutput handshakeOutput, PluginExit exit,
			ObjectProvider<PluginParent> parent) {
		PluginServiceSelector selector = new PluginServiceSelector(context.getBeanFactory(),
				contributors.orderedStream().toList());
		String debugName = StringUtils.hasText(properties.getDebugPluginName()) ? properties.getDebugPluginName()
				: context.getEnvironment().getProperty("spring.application.name", "<name>");
		return new PluginServerLifecycle(pluginServer, selector, properties, stdio, handshakeOutput, exit, debugName,
				parent.getIfAvailable(PluginParent::ofCurrentProcess));
	}

}
