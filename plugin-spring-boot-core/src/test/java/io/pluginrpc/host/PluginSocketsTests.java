package io.pluginrpc.host;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pluginrpc.core.transport.SocketFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The host removes the socket a plugin's handshake line names only when it can attribute
 * it to that plugin, with real socket files, listening or abandoned.
 */
class PluginSocketsTests {

	@TempDir
	Path tmp;

	private final ProcessRegistry registry = new ProcessRegistry();

	@AfterEach
	void close() {
		this.registry.close();
	}

	@Test
	void aSocketInThePrivateDirectoryGoesWithTheDirectory() throws IOException {
		PluginSockets sockets = PluginSockets.create(this.registry, this.tmp);
		Path socket = abandonedSocket(sockets.directory().path().resolve("plugin.sock"));
		sockets.claim("1|2|unix|" + socket + "|grpc|", Instant.now(), Map.of());

		sockets.release();

		assertThat(socket).doesNotExist();
		assertThat(sockets.directory().path()).doesNotExist();
	}

	@Test
	void aGoPlugin101SocketInItsTmpdirThatAppearedAfterTheLaunchIsRemovedEvenWhenTheLineWasRejected()
			throws IOException {
		Instant launched = Instant.now();
		PluginSockets sockets = PluginSockets.create(this.registry, this.tmp);
		Path socket = abandonedSocket(this.tmp.resolve("plugin123456"));
		// Version 1 offered nowhere: the line is rejected after it was claimed.
		sockets.claim("1|1|unix|" + socket + "|grpc|", launched, Map.of("TMPDIR", this.tmp.toString()));
		assertThat(sockets.claimed()).isEqualTo(socket);

		sockets.release();

		assertThat(socket).doesNotExist();
	}

	@Test
	void anotherProgramsLiveSocketIsNeverRemoved() throws IOException {
		Path database = this.tmp.resolve(".s.PGSQL.5432");
		try (ServerSocketChannel postgres = listen(database)) {
			PluginSockets sockets = PluginSockets.create(this.registry, this.tmp);
			sockets.claim("1|1|unix|" + database + "|grpc|", Instant.now().minusSeconds(1),
					Map.of("TMPDIR", this.tmp.toString()));
			assertThat(sockets.claimed()).isNull();

			sockets.release();
			this.registry.killAll(java.time.Duration.ZERO);

			assertThat(SocketFile.isSocket(database)).isTrue();
		}
	}

	@Test
	void aGoStyleSocketThatSomeoneStillListensOnIsKept() throws IOException {
		Instant launched = Instant.now();
		Path socket = this.tmp.resolve("plugin987");
		try (ServerSocketChannel other = listen(socket)) {
			PluginSockets sockets = PluginSockets.create(this.registry, this.tmp);
			sockets.claim("1|1|unix|" + socket + "|grpc|", launched, Map.of("TMPDIR", this.tmp.toString()));

			sockets.release();

			assertThat(SocketFile.isSocket(socket)).isTrue();
		}
	}

	@Test
	void aGoStyleSocketOlderThanTheLaunchIsNotTheLaunchedPlugins() throws IOException {
		Path socket = abandonedSocket(this.tmp.resolve("plugin555"));
		Files.setLastModifiedTime(socket, FileTime.from(Instant.now().minusSeconds(60)));
		PluginSockets sockets = PluginSockets.create(this.registry, this.tmp);
		sockets.claim("1|1|unix|" + socket + "|grpc|", Instant.now(), Map.of("TMPDIR", this.tmp.toString()));

		sockets.release();

		assertThat(sockets.claimed()).isNull();
		assertThat(SocketFile.isSocket(socket)).isTrue();
	}

	@Test
	void aSocketOutsideThePluginsTmpdirIsNotAttributed() throws IOException {
		Instant launched = Instant.now();
		Path elsewhere = Files.createDirectory(this.tmp.resolve("elsewhere"));
		Path socket = abandonedSocket(elsewhere.resolve("plugin42"));
		PluginSockets sockets = PluginSockets.create(this.registry, this.tmp);
		sockets.claim("1|1|unix|" + socket + "|grpc|", launched, Map.of("TMPDIR", this.tmp.toString()));

		sockets.release();

		assertThat(SocketFile.isSocket(socket)).isTrue();
	}

	@Test
	void malformedLinesNameNoSocket() {
		assertThat(PluginSockets.unixSocket(null)).isNull();
		assertThat(PluginSockets.unixSocket("Spring Boot banner")).isNull();
		assertThat(PluginSockets.unixSocket("1|1|tcp|127.0.0.1:1234|grpc|")).isNull();
		assertThat(PluginSockets.unixSocket("1|1|unix|relative.sock|grpc|")).isNull();
		assertThat(PluginSockets.unixSocket("1|1|unix|/tmp/a/../b.sock")).isEqualTo(Path.of("/tmp/b.sock"));
	}

	private static ServerSocketChannel listen(Path path) throws IOException {
		ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		server.bind(UnixDomainSocketAddress.of(path));
		return server;
	}

	/** A socket file whose listener is gone, as a killed plugin leaves it. */
	private static Path abandonedSocket(Path path) throws IOException {
		listen(path).close();
		assertThat(SocketFile.isSocket(path)).isTrue();
		return path;
	}

}
