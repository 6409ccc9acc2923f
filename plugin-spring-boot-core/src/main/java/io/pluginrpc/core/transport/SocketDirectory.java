package io.pluginrpc.core.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.pluginrpc.core.Platform;

/**
 * A fresh private directory for Unix sockets: mode 0700 (0750 when a socket group is configured, so
 * only that group may reach the sockets), removed with everything in it by {@link #close()}. A per-owner
 * directory means a crashed process leaves at most one directory, and no other local user can connect.
 * Where the file system has no POSIX permissions (Windows) the directory takes the ACL of its parent,
 * the user's own temporary directory by default.
 */
public final class SocketDirectory implements AutoCloseable {

	/** Linux's (and Windows') {@code sun_path} holds 108 bytes including the terminating NUL. */
	public static final int MAX_SOCKET_PATH_BYTES = 107;

	/** macOS's and the BSDs' {@code sun_path} holds 104 bytes including the terminating NUL. */
	static final int MAX_BSD_SOCKET_PATH_BYTES = 103;

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

	private static final Set<PosixFilePermission> OWNER_AND_GROUP = PosixFilePermissions.fromString("rwxr-x---");

	private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

	private final Path path;

	private final String group;

	private final AtomicInteger sockets = new AtomicInteger();

	private SocketDirectory(Path path, String group) {
		this.path = path;
		this.group = group;
	}

	/**
	 * Creates the directory under {@code base}, or under {@code $TMPDIR} (else {@code /tmp}; on Windows
	 * {@code java.io.tmpdir}, the user's {@code %TEMP%}) when base is {@code null}, as Go does
	 * ({@code java.io.tmpdir} ignores {@code $TMPDIR} on Unix).
	 * @param base parent directory, usually {@code PLUGIN_UNIX_SOCKET_DIR}; may be {@code null}
	 * @param group group that may connect, usually {@code PLUGIN_UNIX_SOCKET_GROUP}; may be {@code null}
	 * @return the directory
	 * @throws UncheckedIOException if it cannot be created
	 */
	public static SocketDirectory create(String base, String group) {
		Path parent = Path.of(firstNonEmpty(base, System.getenv("TMPDIR"),
				Platform.isWindows() ? System.getProperty("java.io.tmpdir") : "/tmp"));
		String owner = (group == null || group.isEmpty()) ? null : group;
		try {
			Path dir = createShortDirectory(parent, (owner != null) ? OWNER_AND_GROUP : OWNER_ONLY);
			SocketDirectory directory = new SocketDirectory(dir, owner);
			if (owner != null && hasPosixPermissions(dir)) {
				directory.applyGroup(dir, OWNER_AND_GROUP);
			}
			return directory;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create a private socket directory in " + parent + ": " + ex, ex);
		}
	}

	/**
	 * Creates {@code plugin} + 8 random characters: socket paths stay far below the kernel's limit even
	 * when a host's directory nests a plugin's (java.io's temp names add 19 digits each).
	 */
	private static Path createShortDirectory(Path parent, Set<PosixFilePermission> permissions) throws IOException {
		for (int attempt = 0;; attempt++) {
			StringBuilder name = new StringBuilder("plugin");
			for (int i = 0; i < 8; i++) {
				name.append(Character.forDigit(RANDOM.nextInt(36), 36));
			}
			try {
				return Files.createDirectory(parent.resolve(name.toString()), PosixFilePermissions.asFileAttribute(permissions));
			}
			catch (UnsupportedOperationException ex) {
				// No POSIX permissions on this file system (Windows): the parent's ACL applies.
				return Files.createDirectory(parent.resolve(name.toString()));
			}
			catch (java.nio.file.FileAlreadyExistsException ex) {
				if (attempt > 100) {
					throw ex;
				}
			}
		}
	}

	/**
	 * @param name file name of a socket in this directory
	 * @return its path
	 * @throws IllegalStateException if the path exceeds the kernel's socket path limit
	 */
	public Path socket(String name) {
		Path socket = this.path.resolve(name);
		int length = socket.toString().getBytes(StandardCharsets.UTF_8).length;
		int max = maxSocketPathBytes();
		if (length > max) {
			throw new IllegalStateException("The Unix socket path " + socket + " is " + length
					+ " bytes long, more than the " + max
					+ " the kernel allows; set PLUGIN_UNIX_SOCKET_DIR or TMPDIR to a shorter directory");
		}
		return socket;
	}

	/** @return the longest Unix socket path this OS takes, in bytes without the terminating NUL */
	static int maxSocketPathBytes() {
		Platform.Os os = Platform.os();
		return (os == Platform.Os.MACOS || os == Platform.Os.OTHER) ? MAX_BSD_SOCKET_PATH_BYTES : MAX_SOCKET_PATH_BYTES;
	}

	/** @return a new socket path, unique within this directory */
	public Path nextSocket(String prefix) {
		return socket(prefix + this.sockets.incrementAndGet() + ".sock");
	}

	/**
	 * Restricts a socket the server just bound: 0600, or 0660 with the configured group (go-plugin's
	 * {@code PLUGIN_UNIX_SOCKET_GROUP} rule).
	 * @param socket the socket file
	 */
	public void secure(Path socket) {
		if (!hasPosixPermissions(socket)) {
			return;
		}
		try {
			if (this.group != null) {
				applyGroup(socket, PosixFilePermissions.fromString("rw-rw----"));
			}
			else {
				Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not restrict the permissions of " + socket + ": " + ex, ex);
		}
	}

	private static boolean hasPosixPermissions(Path file) {
		return file.getFileSystem().supportedFileAttributeViews().contains("posix");
	}

	private void applyGroup(Path file, Set<PosixFilePermission> permissions) throws IOException {
		GroupPrincipal principal = file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(this.group);
		Files.getFileAttributeView(file, PosixFileAttributeView.class).setGroup(principal);
		Files.setPosixFilePermissions(file, permissions);
	}

	/** @return the directory */
	public Path path() {
		return this.path;
	}

	/** Removes the directory and every socket in it; safe to call more than once. */
	@Override
	public void close() {
		deleteRecursively(this.path);
	}

	/**
	 * Deletes a directory tree, ignoring what is already gone.
	 * @param dir the directory
	 */
	public static void deleteRecursively(Path dir) {
		if (!Files.exists(dir)) {
			return;
		}
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
			for (Path entry : entries) {
				if (Files.isDirectory(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
					deleteRecursively(entry);
				}
				else {
					Files.deleteIfExists(entry);
				}
			}
			Files.deleteIfExists(dir);
		}
		catch (IOException ex) {
			// Best effort: a directory we cannot remove is reported by the leak tests, not by a crash here.
		}
	}

	private static String firstNonEmpty(String... values) {
		for (String value : values) {
			if (value != null && !value.isEmpty()) {
				return value;
			}
		}
		throw new IllegalArgumentException("no value");
	}

}
