package io.pluginrpc.host;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pluginrpc.core.PluginEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The host side of go-plugin's {@code PLUGIN_UNIX_SOCKET_GROUP}: with a socket group the
 * plugin is told the group, and the directory the host hands it as
 * {@code PLUGIN_UNIX_SOCKET_DIR} is 0770 and owned by that group (go-plugin's
 * {@code setGroupWritable}), so a plugin of another user in it can create its socket.
 */
class SocketGroupLaunchTests {

	@TempDir
	Path tmp;

	private final ProcessRegistry registry = new ProcessRegistry();

	@AfterEach
	void close() {
		this.registry.close();
	}

	@Test
	void theGroupIsPassedAndTheDirectoryIsGroupWritable() throws Exception {
		String group = Files.getAttribute(this.tmp, "posix:group").toString();
		PluginClientConfig config = config().withSocketGroup(group);
		PluginSockets sockets = PluginSockets.create(this.registry, this.tmp, config.socketGroup());
		try {
			Path dir = sockets.directory().path();
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwxrwx---");
			assertThat(Files.getAttribute(dir, "posix:group").toString()).isEqualTo(group);
			Map<String, String> env = LaunchEnvironment.of(config, Map.of(), null, sockets.directory());
			assertThat(env).containsEntry(PluginEnvironment.UNIX_SOCKET_GROUP, group)
				.containsEntry(PluginEnvironment.UNIX_SOCKET_DIR, dir.toString());
		}
		finally {
			sockets.release();
		}
	}

	@Test
	void withoutAGroupNothingIsPassedAndTheDirectoryIsPrivate() throws Exception {
		PluginSockets sockets = PluginSockets.create(this.registry, this.tmp, null);
		try {
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sockets.directory().path())))
				.isEqualTo("rwx------");
			assertThat(LaunchEnvironment.of(config(), Map.of(PluginEnvironment.UNIX_SOCKET_GROUP, "inherited"), null,
					sockets.directory()))
				.doesNotContainKey(PluginEnvironment.UNIX_SOCKET_GROUP);
		}
		finally {
			sockets.release();
		}
	}

	@Test
	void anUnknownGroupIsNamedAndLeavesNoDirectory() throws Exception {
		assertThatThrownBy(() -> PluginSockets.create(this.registry, this.tmp, "no-such-group-pluginrpc"))
			.isInstanceOf(UncheckedIOException.class)
			.hasMessageContaining("for the group 'no-such-group-pluginrpc'");
		try (var entries = Files.list(this.tmp)) {
			assertThat(entries).isEmpty();
		}
	}

	@Test
	void aBlankGroupIsNoGroup() {
		assertThat(config().withSocketGroup(" ").socketGroup()).isNull();
	}

	private static PluginClientConfig config() {
		return new PluginClientConfig("kv", List.of("plugin"), null, Map.of(), "BASIC_PLUGIN", "hello", Set.of(1),
				false, null, null, Duration.ofSeconds(60), Duration.ofSeconds(2), 10000, 25000, false, null, null);
	}

}
