package io.pluginrpc.sample.host;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginState;
import io.pluginrpc.sample.plugin.InteropPeers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample host's HTTP API against the real sample plugin, launched by the application
 * context.
 */
// A generous start-timeout: on a machine busy with other builds a JVM plugin may take a
// minute to start.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "plugins.kv.start-timeout=5m")
@ActiveProfiles("web")
class SampleHostWebIT {

	@DynamicPropertySource
	static void pluginJar(DynamicPropertyRegistry registry) {
		registry.add("KV_PLUGIN_JAR", () -> InteropPeers.samplePluginJar().toString());
		registry.add("KV_DIRECTORY", () -> values.toString());
	}

	@TempDir
	static Path values;

	@Autowired
	private TestRestTemplate http;

	@Autowired
	private PluginClient kv;

	@Test
	void putsAndGetsOverHttp() {
		assertThat(this.kv.getState()).isEqualTo(PluginState.RUNNING);
		assertThat(this.http.exchange("/kv/colour", HttpMethod.PUT, new HttpEntity<>("blue".getBytes()), Void.class)
			.getStatusCode()).isEqualTo(HttpStatus.NO_CONTENT);
		assertThat(this.http.getForObject("/kv/colour", String.class)).isEqualTo("blue");
	}

	@Test
	void storesTheRawBodyOfAFormPutAsCurlDashDSendsIt() {
		HttpHeaders headers = new HttpHeaders();
		headers.setContentType(MediaType.APPLICATION_FORM_URLENCODED);
		assertThat(this.http.exchange("/kv/shape", HttpMethod.PUT, new HttpEntity<>("round", headers), Void.class)
			.getStatusCode()).isEqualTo(HttpStatus.NO_CONTENT);
		assertThat(this.http.getForObject("/kv/shape", String.class)).isEqualTo("round");
	}

}
