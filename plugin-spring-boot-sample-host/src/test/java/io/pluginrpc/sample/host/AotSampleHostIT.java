package io.pluginrpc.sample.host;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.pluginrpc.sample.plugin.InteropPeers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample host jar, Spring AOT-processed by the default build, started the way AOT is
 * used ({@code java -Dspring.aot.enabled=true -jar}): its plugin client and stub beans
 * come from generated code, and it serves {@code PUT}/{@code GET /kv/{key}} through the
 * real sample plugin.
 */
class AotSampleHostIT {

	@Test
	void servesKvOverHttpFromTheAotProcessedJar() throws Exception {
		Path jar = Path.of("target/plugin-spring-boot-sample-host-0.1.0-SNAPSHOT.jar").toAbsolutePath();
		assertThat(jar.getParent().resolve("spring-aot/main/sources")).as("the default build runs process-aot")
			.isDirectory();
		int port = freePort();
		ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Dspring.aot.enabled=true", "-jar", jar.toString(), "--server.port=" + port)
			.redirectErrorStream(true);
		builder.environment().put("KV_PLUGIN_JAR", InteropPeers.samplePluginJar().toString());
		Process host = builder.start();
		StringBuffer output = new StringBuffer();
		Thread reader = new Thread(() -> copy(host.getInputStream(), output), "aot-host-output");
		reader.setDaemon(true);
		reader.start();
		try {
			HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
			URI colour = URI.create("http://127.0.0.1:" + port + "/kv/colour");
			awaitPut(http, colour, host, output);
			HttpResponse<String> get = http.send(HttpRequest.newBuilder(colour).timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(get.statusCode()).as(output.toString()).isEqualTo(200);
			assertThat(get.body()).isEqualTo("blue");
			assertThat(output.toString()).contains("Starting AOT-processed SampleHostApplication",
					"Plugin 'kv' started");
			List<ProcessHandle> plugins = host.descendants().toList();
			host.destroy();
			assertThat(host.waitFor(2, TimeUnit.MINUTES)).as("the host stops on SIGTERM").isTrue();
			for (ProcessHandle plugin : plugins) {
				assertThat(plugin.onExit().completeOnTimeout(null, 30, TimeUnit.SECONDS).join())
					.as("plugin %s stopped with its host", plugin.pid())
					.isNotNull();
			}
		}
		finally {
			host.descendants().forEach(ProcessHandle::destroyForcibly);
			host.destroyForcibly();
		}
	}

	/**
	 * PUTs until the host answers: it listens only once its plugin runs (the plugin
	 * starts first).
	 */
	private static void awaitPut(HttpClient http, URI uri, Process host, StringBuffer output) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
		while (true) {
			assertThat(host.isAlive()).as("the AOT-processed host exited:\n%s", output).isTrue();
			try {
				HttpResponse<Void> put = http.send(HttpRequest.newBuilder(uri)
					.timeout(Duration.ofSeconds(30))
					.PUT(HttpRequest.BodyPublishers.ofString("blue"))
					.build(), HttpResponse.BodyHandlers.discarding());
				assertThat(put.statusCode()).as(output.toString()).isEqualTo(204);
				return;
			}
			catch (IOException ex) {
				if (System.nanoTime() > deadline) {
					throw new AssertionError("the AOT-processed host did not answer within 3 minutes:\n" + output, ex);
				}
				Thread.sleep(200);
			}
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static void copy(InputStream in, StringBuffer output) {
		try {
			byte[] buffer = new byte[8192];
			int read;
			while ((read = in.read(buffer)) >= 0) {
				output.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
			}
		}
		catch (IOException ex) {
			// The process is gone.
		}
	}

}
