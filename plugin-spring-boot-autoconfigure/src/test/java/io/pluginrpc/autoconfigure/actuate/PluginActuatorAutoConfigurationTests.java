package io.pluginrpc.autoconfigure.actuate;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.pluginrpc.actuate.PluginMetrics;
import io.pluginrpc.actuate.PluginsEndpoint;
import io.pluginrpc.autoconfigure.host.PluginHostAutoConfiguration;
import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginState;

import static org.assertj.core.api.Assertions.assertThat;

/** On either Spring Boot line: {@link ActuatorTestSupport} is the line's own. */
class PluginActuatorAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PluginHostAutoConfiguration.class,
				PluginActuatorAutoConfiguration.class, PluginMetricsAutoConfiguration.class))
		.withConfiguration(ActuatorTestSupport.metrics())
		.withConfiguration(ActuatorTestSupport.health())
		.withPropertyValues("management.endpoints.web.exposure.include=*",
				"management.endpoint.health.show-details=always");

	@Test
	void backsOffWithoutPlugins() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(PluginsEndpoint.class)
			.doesNotHaveBean("pluginsHealthContributor"));
	}

	@Test
	void hostsWithoutActuator() {
		new ApplicationContextRunner().withClassLoader(new FilteredClassLoader(ActuatorTestSupport.ACTUATOR_PACKAGES))
			.withConfiguration(
					AutoConfigurations.of(PluginHostAutoConfiguration.class, PluginActuatorAutoConfiguration.class,
							PluginMetricsAutoConfiguration.class, PluginObservationAutoConfiguration.class))
			.withPropertyValues(plugin("kv", "/bin/false"))
			.withPropertyValues("plugins.kv.lazy=true")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(PluginClient.class)
				.doesNotHaveBean(PluginsEndpoint.class)
				.doesNotHaveBean("pluginsHealthContributor")
				.doesNotHaveBean(PluginMetrics.class));
	}

	@Test
	void reportsALazyPluginAsUnknownAndCountsItsState() {
		this.runner.withPropertyValues(plugin("kv", "/bin/false"))
			.withPropertyValues("plugins.kv.lazy=true")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(PluginsEndpoint.class)
					.hasBean("pluginsHealthContributor");
				assertThat(ActuatorTestSupport.pluginStatus(context, "kv")).isEqualTo("UNKNOWN");
				assertThat(context.getBean(PluginsEndpoint.class).plugins()).containsKey("kv");
				assertThat(context.getBean(PluginsEndpoint.class).plugin("kv")).containsEntry("state", "STOPPED");
				assertThat(context.getBean(PluginsEndpoint.class).plugin("nope")).isNull();
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("plugin.state").tag("plugin", "kv").tag("state", "stopped").gauge().value())
					.isEqualTo(1);
				assertThat(registry.get("plugin.state").tag("plugin", "kv").tag("state", "running").gauge().value())
					.isZero();
			});
	}

	@Test
	void startsTheApplicationWithThePluginDownWhenNotFailFast() {
		this.runner.withPropertyValues(plugin("kv", "/bin/false"))
			.withPropertyValues("plugins.kv.fail-fast=false", "plugins.kv.restart.initial-backoff=1h",
					"plugins.kv.restart.max-backoff=1h")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				PluginClient client = context.getBean(PluginClient.class);
				assertThat(client.getState()).isEqualTo(PluginState.RESTARTING);
				assertThat(ActuatorTestSupport.pluginStatus(context, "kv")).isEqualTo("DOWN");
				assertThat(ActuatorTestSupport.pluginDetails(context, "kv")).containsEntry("state", "RESTARTING")
					.hasEntrySatisfying("reason", (reason) -> assertThat(reason.toString())
						.contains("Plugin 'kv': the plugin exited with status 1 before printing a handshake line"));
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("plugin.start.failures")
					.tag("plugin", "kv")
					.tag("reason", "handshake")
					.counter()
					.count()).isEqualTo(1);
			});
	}

	@Test
	void failsTheStartWhenFailFast() {
		this.runner.withPropertyValues(plugin("kv", "/bin/false"))
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("Plugin 'kv': the plugin exited with status 1 before printing a handshake line"));
	}

	private static String[] plugin(String name, String command) {
		return new String[] { "plugins." + name + ".command=" + command,
				"plugins." + name + ".handshake.cookie-key=BASIC_PLUGIN",
				"plugins." + name + ".handshake.cookie-value=hello",
				"plugins." + name + ".protocol-versions.1=io.pluginrpc.sample.proto.KVGrpc" };
	}

}
