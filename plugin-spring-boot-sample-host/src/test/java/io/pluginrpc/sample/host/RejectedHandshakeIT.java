package io.pluginrpc.sample.host;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pluginrpc.core.handshake.HandshakeException;
import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginClientConfig;
import io.pluginrpc.host.PluginStartException;
import io.pluginrpc.sample.plugin.InteropPeers;
import io.pluginrpc.testing.TestHost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A plugin whose handshake line the host rejects leaves no socket behind, and the host
 * never removes a socket it cannot attribute to the plugin, whatever the line names.
 */
class RejectedHandshakeIT {

	/** The plugins' TMPDIR and the host's socket directory: nothing else writes here. */
	@TempDir
	Path tmp;

	@Test
	void aGoPlugin101RejectedForItsVersionLeavesNoSocketInItsTmpdir() throws IOException {
		Path goPlugin = InteropPeers.build().resolve("interop/build/bin/go-kv-plugin");
		// go-plugin 1.0.1 listens on $TMPDIR/plugin<digits> (it ignores
		// PLUGIN_UNIX_SOCKET_DIR) and serves
		// version 1; this host offers version 2 only.
		PluginClient client = new PluginClient(config(List.of(goPlugin.toString()), Set.of(2)), TestHost.SHARED);

		assertThatExceptionOfType(PluginStartException.class).isThrownBy(client::start)
			.satisfies((ex) -> assertThat(ex.getCause()).isInstanceOfSatisfying(HandshakeException.class,
					(handshake) -> assertThat(handshake.getReason()).isEqualTo(HandshakeException.Reason.APP_VERSION)))
			.withMessageContaining("Plugin 'rejected'");

		try (Stream<Path> left = Files.list(this.tmp)) {
			assertThat(left.toList()).as("sockets and directories left in the plugin's TMPDIR").isEmpty();
		}
	}

	@Test
	void aLineNamingAnotherProgramsLiveSocketNeverMakesTheHostRemoveIt() throws IOException {
		Path database = this.tmp.resolve(".s.PGSQL.5432");
		try (ServerSocketChannel postgres = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			postgres.bind(UnixDomainSocketAddress.of(database));
			// A buggy plugin: it names the database's socket, then the host cannot use it
			// (no gRPC there).
			// The socket accepts but never speaks HTTP/2, so the host waits for it until
			// the start timeout: a
			// short one, as the plugin is a shell, not a JVM.
			PluginClient client = new PluginClient(
					config(List.of("/bin/sh", "-c", "echo '1|1|unix|" + database + "|grpc|'; exec sleep 60"), Set.of(1),
							Duration.ofSeconds(10)),
					TestHost.SHARED);

			assertThatExceptionOfType(PluginStartException.class).isThrownBy(client::start)
				.withMessageContaining("Plugin 'rejected'");

			assertThat(database).exists();
			try (SocketChannel connection = SocketChannel.open(UnixDomainSocketAddress.of(database))) {
				assertThat(connection.isConnected()).as("the database's socket still accepts connections").isTrue();
			}
		}
	}

	@Test
	void aRejectedLineNamingAnotherProgramsAbandonedSocketLeavesItAlone() throws IOException {
		Path foreign = this.tmp.resolve("other.sock");
		ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		other.bind(UnixDomainSocketAddress.of(foreign));
		other.close();
		PluginClient client = new PluginClient(
				config(List.of("/bin/sh", "-c", "echo '1|7|unix|" + foreign + "|grpc|'; exec sleep 60"), Set.of(1)),
				TestHost.SHARED);

		assertThatExceptionOfType(PluginStartException.class).isThrownBy(client::start)
			.withMessageContaining("Plugin 'rejected'");

		assertThat(foreign).as("a socket the host cannot attribute to the plugin").exists();
	}

	private PluginClientConfig config(List<String> command, Set<Integer> versions) {
		return config(command, versions, Duration.ofSeconds(60));
	}

	private PluginClientConfig config(List<String> command, Set<Integer> versions, Duration startTimeout) {
		return new PluginClientConfig("rejected", command, null, Map.of("TMPDIR", this.tmp.toString()), "BASIC_PLUGIN",
				"hello", versions, false, null, null, startTimeout, Duration.ofSeconds(2), 10000, 25000, false, null,
				this.tmp);
	}

}
