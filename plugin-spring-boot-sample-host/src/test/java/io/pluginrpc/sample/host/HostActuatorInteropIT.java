package io.pluginrpc.sample.host;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginState;
import io.pluginrpc.sample.plugin.InteropPeers;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.KVGrpc;
import io.pluginrpc.sample.proto.PutRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring Boot host (this module's Boot line) with three KV plugins configured under
 * {@code plugins.*}: the sample plugin of the same line ({@code kv}, from
 * application.yml), our Go plugin built against go-plugin 1.6.3 ({@code go}) and the
 * Python plugin ({@code python}, plaintext TCP). Each is called through its channel, and
 * Actuator over HTTP reports each one's health ({@code /actuator/health/plugins/<name>})
 * and its meters ({@code /actuator/metrics/plugin.starts}). Shared by the Boot 3 and Boot
 * 4 sample hosts: only JDK HTTP and Jackson, no Boot test web client (which moved in Boot
 * 4).
 */
// A generous start-timeout: on a machine busy with other builds a JVM plugin may take a
// minute to start.
@SpringBootTest(classes = HostActuatorInteropIT.Host.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "plugins.kv.start-timeout=5m", "plugins.go.handshake.cookie-key=BASIC_PLUGIN",
				"plugins.go.handshake.cookie-value=hello",
				"plugins.go.protocol-versions.1=io.pluginrpc.sample.proto.KVGrpc",
				"plugins.python.handshake.cookie-key=BASIC_PLUGIN", "plugins.python.handshake.cookie-value=hello",
				"plugins.python.protocol-versions.1=io.pluginrpc.sample.proto.KVGrpc", "plugins.python.auto-mtls=false",
				"management.endpoints.web.exposure.include=health,metrics,plugins",
				"management.endpoint.health.show-details=always" })
class HostActuatorInteropIT {

	@DynamicPropertySource
	static void plugins(DynamicPropertyRegistry registry) {
		registry.add("KV_PLUGIN_JAR", () -> InteropPeers.samplePluginJar().toString());
		registry.add("plugins.go.command[0]", () -> InteropPeers.GoPeer.V1_6_3.binary("go-kv-plugin").toString());
		registry.add("plugins.python.command[0]", () -> "/usr/bin/python3");
		registry.add("plugins.python.command[1]",
				() -> InteropPeers.build().resolve("interop/python/kv_plugin.py").toString());
	}

	@Autowired
	private ApplicationContext context;

	@Autowired
	private Environment environment;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	@Test
	void everyPluginServesAndActuatorReportsItsHealthAndMeters() throws Exception {
		Map<String, PluginClient> clients = new java.util.TreeMap<>();
		this.context.getBeansOfType(PluginClient.class)
			.values()
			.forEach((client) -> clients.put(client.getName(), client));
		assertThat(clients).containsOnlyKeys("go", "kv", "python");
		for (PluginClient client : clients.values()) {
			assertThat(client.getState()).as(client.getName()).isEqualTo(PluginState.RUNNING);
			KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(client.channel()).withDeadlineAfter(30, TimeUnit.SECONDS);
			kv.put(PutRequest.newBuilder()
				.setKey("colour")
				.setValue(ByteString.copyFromUtf8(client.getName()))
				.build());
			assertThat(kv.get(GetRequest.newBuilder().setKey("colour").build()).getValue().toStringUtf8())
				.as(client.getName())
				.isEqualTo(client.getName());
		}

		JsonNode health = get("/actuator/health");
		assertThat(health.path("status").asText()).isEqualTo("UP");
		for (String name : clients.keySet()) {
			JsonNode plugin = get("/actuator/health/plugins/" + name);
			assertThat(plugin.path("status").asText()).as(name + ": " + plugin).isEqualTo("UP");
			assertThat(plugin.path("details").path("state").asText()).as(name).isEqualTo("RUNNING");
			assertThat(plugin.path("details").path("pid").asLong()).as(name).isEqualTo(clients.get(name).getPid());
			JsonNode starts = get("/actuator/metrics/plugin.starts?tag=plugin:" + name);
			assertThat(starts.path("measurements").get(0).path("value").asDouble()).as(name).isEqualTo(1.0);
		}
		assertThat(get("/actuator/health/plugins/python").path("details").path("network").asText()).isEqualTo("tcp");
		assertThat(get("/actuator/metrics/plugin.state?tag=plugin:go&tag=state:running").path("measurements")
			.get(0)
			.path("value")
			.asDouble()).isEqualTo(1.0);
		assertThat(get("/actuator/plugins").has("go")).isTrue();
	}

	private JsonNode get(String path) throws Exception {
		URI uri = URI.create("http://127.0.0.1:" + this.environment.getProperty("local.server.port") + path);
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
		return new ObjectMapper().readTree(response.body());
	}

	/**
	 * Auto-configuration only: the sample's own beans (controller, command line,
	 * initializer) stay out.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Host {

	}

}
