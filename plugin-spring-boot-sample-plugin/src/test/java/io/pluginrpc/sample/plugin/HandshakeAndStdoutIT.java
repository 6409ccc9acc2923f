package io.pluginrpc.sample.plugin;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import io.pluginrpc.proto.plugin.Empty;
import io.pluginrpc.proto.plugin.GRPCControllerGrpc;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.KVGrpc;
import io.pluginrpc.sample.proto.PutRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handshake line a Go host reads, the privacy of the socket it names, a stdout that
 * carries that line and nothing else for the plugin's whole life, and a stderr of hclog
 * JSON lines only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HandshakeAndStdoutIT {

	private static final Pattern HANDSHAKE = Pattern.compile("1\\|1\\|unix\\|(/[^|]+)\\|grpc\\|");

	private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

	private PluginProcess plugin;

	@BeforeAll
	void start() {
		this.plugin = PluginProcess.start(PluginProcess.hostEnvironment());
	}

	@AfterAll
	void stop() {
		this.plugin.close();
	}

	@Test
	@Order(1)
	void firstLineIsGoPluginsHandshakeWithAnEmptySixthField() {
		String line = this.plugin.handshakeLine();
		assertThat(line).matches(HANDSHAKE);
		assertThat(line.split("\\|", -1)).hasSize(6).endsWith("");
		Matcher matcher = HANDSHAKE.matcher(line);
		assertThat(matcher.matches()).isTrue();
		Path socket = Path.of(matcher.group(1));
		assertThat(socket).isAbsolute();
		assertThat(socket.getParent().getParent()).as("the socket directory is made under TMPDIR")
			.isEqualTo(this.plugin.tmpdir());
	}

	@Test
	@Order(2)
	void onlyTheOwnerCanReachTheSocket() throws Exception {
		Path socket = Path.of(this.plugin.handshake().address());
		assertThat(PosixFilePermissions
			.toString(Files.getPosixFilePermissions(socket.getParent(), LinkOption.NOFOLLOW_LINKS)))
			.isEqualTo("rwx------");
		assertThat(Files.isRegularFile(socket, LinkOption.NOFOLLOW_LINKS)).isFalse();
		assertThat(Files.isDirectory(socket, LinkOption.NOFOLLOW_LINKS)).isFalse();
		assertThat((Boolean) Files.getAttribute(socket, "basic:isOther", LinkOption.NOFOLLOW_LINKS)).as("a socket")
			.isTrue();
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)))
			.isEqualTo("rw-------");
	}

	@Test
	@Order(3)
	void stderrCarriesOnlyHclogJsonLines() throws Exception {
		this.plugin.awaitStderr("plugin address", Duration.ofSeconds(10));
		assertHclogJsonOnly(this.plugin.stderr());
	}

	@Test
	@Order(4)
	void nothingButTheHandshakeEverReachesStdout() throws Exception {
		ManagedChannel channel = this.plugin.channel(null);
		KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
		kv.put(PutRequest.newBuilder().setKey("k").setValue(ByteString.copyFromUtf8("v")).build());
		assertThat(kv.get(GetRequest.newBuilder().setKey("k").build()).getValue().toStringUtf8()).isEqualTo("v");
		assertThat(HealthGrpc.newBlockingStub(channel)
			.withDeadlineAfter(30, TimeUnit.SECONDS)
			.check(HealthCheckRequest.newBuilder().setService("plugin").build())
			.getStatus()).isEqualTo(ServingStatus.SERVING);
		String expected = this.plugin.handshakeLine() + "\n";
		assertThat(this.plugin.stdout()).as("stdout after calls").isEqualTo(expected);

		GRPCControllerGrpc.newBlockingStub(channel)
			.withDeadlineAfter(30, TimeUnit.SECONDS)
			.shutdown(Empty.getDefaultInstance());
		assertThat(this.plugin.awaitExit(Duration.ofSeconds(10))).isZero();
		assertThat(this.plugin.stdout()).as("stdout after shutdown").isEqualTo(expected);
		assertHclogJsonOnly(this.plugin.stderr());
	}

	private void assertHclogJsonOnly(String stderr) throws Exception {
		List<String> lines = stderr.lines().filter((line) -> !line.isBlank()).toList();
		assertThat(lines).isNotEmpty();
		for (String line : lines) {
			JsonNode node = this.json.readTree(line);
			assertThat(node.isObject()).as("a JSON object: %s", line).isTrue();
			for (String field : List.of("@level", "@message", "@timestamp", "@module")) {
				assertThat(node.path(field).isTextual()).as("%s in %s", field, line).isTrue();
			}
			assertThat(node.get("@level").asText()).isIn("trace", "debug", "info", "warn", "error");
		}
	}

}
