package io.pluginrpc.autoconfigure.host;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.pluginrpc.host.PluginStartException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plugins of an application start at the same time: each test plugin waits, at a
 * barrier of marker files, until every plugin of the application has been launched.
 * Started one after the other, the first would give up at the barrier and say so.
 */
class ConcurrentPluginStartupTests {

	private static final String[] NAMES = { "alpha", "beta", "gamma" };

	@TempDir
	Path barrier;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PluginHostAutoConfiguration.class));

	@Test
	void pluginsStartTogetherAndTheFirstFailureFailsTheApplicationWithNothingLeftRunning() {
		List<String> properties = new ArrayList<>();
		for (String name : NAMES) {
			properties.addAll(plugin(name, "echo 'not a handshake line from " + name + "'; exec sleep 60"));
		}
		List<ProcessHandle> before = ProcessHandle.current().descendants().toList();
		this.runner.withPropertyValues(properties.toArray(String[]::new)).run((context) -> {
			Throwable failure = context.getStartupFailure();
			while (failure != null && !(failure instanceof PluginStartException)) {
				failure = failure.getCause();
			}
			assertThat(failure).as("the failure of %s", context.getStartupFailure())
				.isInstanceOf(PluginStartException.class);
			List<String> messages = new ArrayList<>(List.of(failure.getMessage()));
			for (Throwable other : failure.getSuppressed()) {
				messages.add(other.getMessage());
			}
			// Every plugin got past the barrier: none was started alone.
			for (String name : NAMES) {
				assertThat(messages).anySatisfy(
						(message) -> assertThat(message).startsWith("Plugin '" + name + "': expected a handshake line")
							.contains("but got 'not a handshake line from " + name + "'"));
			}
		});
		assertThat(
				ProcessHandle.current().descendants().filter((p) -> !before.contains(p)).filter(ProcessHandle::isAlive))
			.as("plugin processes left running")
			.allSatisfy((p) -> assertThat(p.info().command().orElse("")).doesNotContain("sleep"));
	}

	@Test
	void withoutFailFastThePluginsThatStartedStayUpAndTheApplicationStarts() {
		List<String> properties = new ArrayList<>();
		for (String name : NAMES) {
			properties.addAll(plugin(name, "echo 'garbage'; exec sleep 60"));
			properties.add("plugins." + name + ".fail-fast=false");
			properties.add("plugins." + name + ".restart.enabled=false");
		}
		this.runner.withPropertyValues(properties.toArray(String[]::new)).run((context) -> {
			assertThat(context).hasNotFailed();
			for (String name : NAMES) {
				assertThat(context.getBean(name, ManagedPluginClient.class).getLastFailure())
					.as("plugin %s got past the barrier", name)
					.contains("but got 'garbage'");
			}
		});
	}

	/**
	 * A plugin that marks its launch, waits until every plugin was launched (20 s at
	 * most, then it says it was started alone and exits), then behaves as {@code then}
	 * says.
	 */
	private List<String> plugin(String name, String then) {
		String wait = "i=0; while [ $(ls " + this.barrier + " | wc -l) -lt " + NAMES.length + " ]; do"
				+ " i=$((i+1)); if [ $i -gt 200 ]; then echo 'started alone' >&2; exit 1; fi; sleep 0.1; done; ";
		String prefix = "plugins." + name + ".";
		return List.of(prefix + "command[0]=/bin/sh", prefix + "command[1]=-c",
				prefix + "command[2]=touch " + this.barrier.resolve(name) + "; " + wait + then,
				prefix + "handshake.cookie-key=BASIC_PLUGIN", prefix + "handshake.cookie-value=hello",
				prefix + "auto-mtls=false", prefix + "protocol-versions.1=io.pluginrpc.sample.proto.KVGrpc");
	}

}
