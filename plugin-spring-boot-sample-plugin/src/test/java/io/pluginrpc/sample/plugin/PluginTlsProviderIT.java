package io.pluginrpc.sample.plugin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.pluginrpc.autoconfigure.host.PluginHostAutoConfiguration;
import io.pluginrpc.host.PluginClient;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.KVGrpc;
import io.pluginrpc.sample.proto.PutRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plugin serving with its own certificate and trust from a Spring SSL bundle
 * ({@code plugin-server.tls.bundle}, go-plugin's TLSProvider) instead of AutoMTLS,
 * launched by a go-plugin 1.6.3 host configured with {@code TLSConfig} and by our host
 * configured with {@code plugins.<name>.tls}.
 */
class PluginTlsProviderIT {

	@TempDir
	Path dir;

	@Test
	void goPlugin16HostWithTlsConfigLaunchesCallsAndStopsThePlugin() {
		TlsMaterial tls = new TlsMaterial(this.dir);
		List<String> arguments = new ArrayList<>(List.of("-cert", tls.file("host.crt").toString(), "-key",
				tls.file("host.key").toString(), "-ca", tls.file("plugin.crt").toString(), "--"));
		arguments.addAll(PluginProcess.javaCommand(tls.pluginArguments().toArray(String[]::new)));
		String output = GoPluginHost16.run("go-tls-host", arguments);
		assertThat(output).as(output)
			.doesNotContain("FAIL ")
			.contains("PASS put/get", "PASS plugin exited on Shutdown, before go-plugin's SIGKILL")
			.containsPattern("(?m)^RESULT [1-9]\\d* passed, 0 failed$")
			.endsWith("(exit status 0)");
	}

	@Test
	void ourHostWithExplicitTlsLaunchesAndCallsThePlugin() {
		TlsMaterial tls = new TlsMaterial(this.dir);
		List<String> properties = new ArrayList<>(List.of("plugins.kv.handshake.cookie-key=BASIC_PLUGIN",
				"plugins.kv.handshake.cookie-value=hello",
				"plugins.kv.protocol-versions.1=io.pluginrpc.sample.proto.KVGrpc",
				"plugins.kv.env.PATH=" + System.getenv("PATH"), "plugins.kv.env.TMPDIR=" + this.dir,
				"plugins.kv.tls.cert=file:" + tls.file("host.crt"), "plugins.kv.tls.key=file:" + tls.file("host.key"),
				"plugins.kv.tls.trust=file:" + tls.file("plugin.crt")));
		List<String> command = PluginProcess.javaCommand(tls.pluginArguments().toArray(String[]::new));
		for (int i = 0; i < command.size(); i++) {
			properties.add("plugins.kv.command[" + i + "]=" + command.get(i));
		}
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(PluginHostAutoConfiguration.class))
			.withPropertyValues(properties.toArray(String[]::new))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				PluginClient client = context.getBean(PluginClient.class);
				assertThat(client.getTlsMode()).isEqualTo("mtls");
				assertThat(client.getHandshake().serverCertificate()).isNull();
				KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(client.channel())
					.withDeadlineAfter(30, TimeUnit.SECONDS);
				kv.put(PutRequest.newBuilder().setKey("k").setValue(ByteString.copyFromUtf8("tls")).build());
				assertThat(kv.get(GetRequest.newBuilder().setKey("k").build()).getValue().toStringUtf8())
					.isEqualTo("tls");
			});
	}

}
