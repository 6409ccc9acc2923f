package io.pluginrpc.core.transport;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A plugin whose host names {@code PLUGIN_UNIX_SOCKET_DIR} puts its sockets directly
 * there as {@code plugin<digits>}, like go-plugin 1.6, and leaves the host's directory
 * alone when it closes.
 */
class SocketDirectoryTest {

	@TempDir
	Path hostDirectory;

	@Test
	void sharedDirectoryHandsOutGoPluginNamesDirectlyInIt() {
		try (SocketDirectory sockets = SocketDirectory.forPlugin(this.hostDirectory.toString(), null)) {
			assertThat(sockets.isShared()).isTrue();
			assertThat(sockets.path()).isEqualTo(this.hostDirectory);
			Path first = sockets.nextSocket("broker-1-");
			Path second = sockets.nextSocket("broker-2-");
			assertThat(first.getParent()).isEqualTo(this.hostDirectory);
			assertThat(first.getFileName().toString()).matches("plugin[0-9]+");
			assertThat(second.getFileName().toString()).matches("plugin[0-9]+");
			assertThat(second).isNotEqualTo(first);
		}
		assertThat(this.hostDirectory).isDirectory();
	}

	@Test
	void closingASharedDirectoryRemovesOnlyItsOwnSockets() throws Exception {
		Path someoneElses = Files.createFile(this.hostDirectory.resolve("plugin42"));
		SocketDirectory sockets = SocketDirectory.shared(this.hostDirectory.toString(), null);
		Path mine = sockets.nextSocket("x");
		// A regular file where a socket was handed out is not a socket: it stays, as a
		// hostile path would.
		Files.createFile(mine);
		sockets.close();
		assertThat(this.hostDirectory).isDirectory();
		assertThat(someoneElses).exists();
		assertThat(mine).exists();
	}

	@Test
	void withoutPluginUnixSocketDirAPrivateDirectoryIsCreatedAndRemoved() {
		SocketDirectory sockets = SocketDirectory.forPlugin("", null);
		Path dir = sockets.path();
		try {
			assertThat(sockets.isShared()).isFalse();
			assertThat(dir.getFileName().toString()).startsWith("plugin");
			assertThat(sockets.nextSocket("broker-1-").getParent()).isEqualTo(dir);
		}
		finally {
			sockets.close();
		}
		assertThat(dir).doesNotExist();
	}

	@Test
	void aMissingSharedDirectoryIsAClearError() {
		String missing = this.hostDirectory.resolve("gone").toString();
		assertThatThrownBy(() -> SocketDirectory.forPlugin(missing, null)).isInstanceOf(UncheckedIOException.class)
			.hasMessageContaining(missing)
			.hasMessageContaining("PLUGIN_UNIX_SOCKET_DIR");
	}

	@Test
	void sharedDirectoryPermissionsAreNotTouched() throws Exception {
		Files.setPosixFilePermissions(this.hostDirectory, PosixFilePermissions.fromString("rwxrwx---"));
		try (SocketDirectory sockets = SocketDirectory.shared(this.hostDirectory.toString(),
				Files.getAttribute(this.hostDirectory, "posix:group").toString())) {
			sockets.nextSocket("x");
		}
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(this.hostDirectory)))
			.isEqualTo("rwxrwx---");
	}

}
