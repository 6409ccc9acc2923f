package io.pluginrpc.plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pluginrpc.core.PluginEnvironment;
import io.pluginrpc.core.handshake.HandshakeLine;
import io.pluginrpc.core.transport.Transports;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a real plugin server puts its socket when the host names
 * {@code PLUGIN_UNIX_SOCKET_DIR} and {@code PLUGIN_UNIX_SOCKET_GROUP}: directly in that
 * directory as {@code plugin<digits>} (go-plugin 1.6), mode 0660 and owned by that group,
 * removed on close while the host's directory stays.
 */
class PluginServerSocketTest {

	@TempDir
	Path hostDirectory;

	@Test
	void socketGoesDirectlyIntoTheHostsDirectoryWithTheGroupAndMode0660() throws Exception {
		String group = Files.getAttribute(this.hostDirectory, "posix:group").toString();
		Map<String, String> env = Map.of(PluginEnvironment.UNIX_SOCKET_DIR, this.hostDirectory.toString(),
				PluginEnvironment.UNIX_SOCKET_GROUP, group);
		PluginServerSettings settings = new PluginServerSettings(env, "unix", Duration.ofSeconds(1),
				Duration.ofSeconds(5));
		Path socket;
		try (PluginServer server = PluginServer.prepare(settings, new HealthStatusManager())) {
			HandshakeLine handshake = server.start(1, List.of(), () -> {
			});
			socket = Path.of(handshake.address());
			assertThat(socket.getParent()).isEqualTo(this.hostDirectory);
			assertThat(socket.getFileName().toString()).matches("plugin[0-9]+");
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-rw----");
			assertThat(Files.getAttribute(socket, "posix:group").toString()).isEqualTo(group);
			assertThat(server.socketDirectory()).isEqualTo(this.hostDirectory);
			ManagedChannel channel = Transports
				.channelBuilder(Transports.socketAddress(handshake.network(), handshake.address()), null)
				.build();
			try {
				assertThat(HealthGrpc.newBlockingStub(channel)
					.withDeadlineAfter(30, TimeUnit.SECONDS)
					.check(HealthCheckRequest.newBuilder().setService(PluginServer.HEALTH_SERVICE).build())
					.getStatus()).isEqualTo(ServingStatus.SERVING);
			}
			finally {
				channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
			}
		}
		assertThat(socket).doesNotExist();
		assertThat(this.hostDirectory).isDirectory();
	}

	@Test
	void withoutSocketVariablesTheSocketIsPrivate() throws Exception {
		PluginServerSettings settings = new PluginServerSettings(Map.of(), "unix", Duration.ofSeconds(1),
				Duration.ofSeconds(5));
		Path directory;
		try (PluginServer server = PluginServer.prepare(settings, new HealthStatusManager())) {
			HandshakeLine handshake = server.start(1, List.of(), () -> {
			});
			Path socket = Path.of(handshake.address());
			directory = socket.getParent();
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
		}
		assertThat(directory).doesNotExist();
	}

}
