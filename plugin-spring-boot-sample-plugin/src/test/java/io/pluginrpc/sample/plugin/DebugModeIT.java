package io.pluginrpc.sample.plugin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.pluginrpc.autoconfigure.host.PluginHostAutoConfiguration;
import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginState;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.KVGrpc;
import io.pluginrpc.sample.proto.PutRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debug mode (go-plugin's ServeTestConfig, Terraform's -debug): the sample plugin runs
 * without a host and without a cookie, prints go-plugin's reattach JSON and our reattach
 * properties, and serves until it is stopped. Our host attaches with the printed
 * properties, a go-plugin 1.6.3 host with the JSON; neither stops it (test mode), SIGTERM
 * does.
 */
class DebugModeIT {

	private static final Duration LIMIT = Duration.ofSeconds(90);

	@TempDir
	Path dir;

	@Test
	void ourHostAndAGoPlugin16HostAttachWhatDebugModePrints() {
		try (PluginProcess plugin = PluginProcess.start(new LinkedHashMap<>(), "--plugin-server.debug=true",
				"--plugin-server.debug-plugin-name=kv")) {
			String json = plugin.handshakeLine();
			PluginProcess.awaitTrue(LIMIT, "the reattach properties on stdout",
					() -> plugin.stdout().contains("plugins.kv.reattach.test=true"));
			long pid = plugin.process().pid();
			assertThat(json)
				.startsWith("{\"Protocol\":\"grpc\",\"ProtocolVersion\":1,\"Pid\":" + pid + ",\"Test\":true,");
			List<String> properties = reattachProperties(plugin.stdout());
			assertThat(properties).contains("plugins.kv.reattach.pid=" + pid);

			ourHostAttaches(properties, "from-java");
			assertThat(plugin.process().isAlive()).as("test mode: our host does not stop the plugin").isTrue();

			String output = GoPluginHost16.run("go-reattach-host", List.of(json));
			assertThat(output).as(output)
				.doesNotContain("FAIL ")
				.contains("PASS put/get", "PASS plugin still running after Kill()")
				.endsWith("(exit status 0)");

			Path socket = Path.of(plugin.handshakeLine().split("\"String\":\"")[1].split("\"")[0]);
			plugin.process().destroy();
			assertThat(plugin.awaitExit(LIMIT)).isEqualTo(143);
			assertThat(socket).doesNotExist();
		}
	}

	@Test
	void debugModeWithExplicitTlsAttachesWithTheSameMaterial() {
		TlsMaterial tls = new TlsMaterial(this.dir);
		List<String> args = new ArrayList<>(
				List.of("--plugin-server.debug=true", "--plugin-server.debug-plugin-name=kv"));
		args.addAll(tls.pluginArguments());
		try (PluginProcess plugin = PluginProcess.start(new LinkedHashMap<>(), args.toArray(String[]::new))) {
			String json = plugin.handshakeLine();
			PluginProcess.awaitTrue(LIMIT, "the reattach properties on stdout",
					() -> plugin.stdout().contains("plugins.kv.reattach.test=true"));
			List<String> properties = new ArrayList<>(reattachProperties(plugin.stdout()));
			properties.add("plugins.kv.tls.cert=file:" + tls.file("host.crt"));
			properties.add("plugins.kv.tls.key=file:" + tls.file("host.key"));
			properties.add("plugins.kv.tls.trust=file:" + tls.file("plugin.crt"));
			ourHostAttaches(properties, "over-mtls");

			String output = GoPluginHost16.run("go-reattach-host", List.of("-cert", tls.file("host.crt").toString(),
					"-key", tls.file("host.key").toString(), "-ca", tls.file("plugin.crt").toString(), json));
			assertThat(output).as(output).doesNotContain("FAIL ").contains("PASS put/get").endsWith("(exit status 0)");
		}
	}

	private static List<String> reattachProperties(String stdout) {
		return stdout.lines().filter((line) -> line.startsWith("plugins.kv.reattach.")).toList();
	}

	private static void ourHostAttaches(List<String> reattach, String value) {
		List<String> properties = new ArrayList<>(reattach);
		properties
			.addAll(List.of("plugins.kv.handshake.cookie-key=BASIC_PLUGIN", "plugins.kv.handshake.cookie-value=hello",
					"plugins.kv.protocol-versions.1=io.pluginrpc.sample.proto.KVGrpc"));
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(PluginHostAutoConfiguration.class))
			.withPropertyValues(properties.toArray(String[]::new))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				PluginClient client = context.getBean(PluginClient.class);
				assertThat(client.getState()).isEqualTo(PluginState.RUNNING);
				KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(client.channel())
					.withDeadlineAfter(30, TimeUnit.SECONDS);
				kv.put(PutRequest.newBuilder().setKey("debug").setValue(ByteString.copyFromUtf8(value)).build());
				assertThat(kv.get(GetRequest.newBuilder().setKey("debug").build()).getValue().toStringUtf8())
					.isEqualTo(value);
			});
	}

}
