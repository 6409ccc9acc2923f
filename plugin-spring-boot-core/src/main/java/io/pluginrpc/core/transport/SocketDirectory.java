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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.pluginrpc.core.Platform;

/**
 * Where a process puts its Unix sockets. Either a fresh private directory: mode 0700
 * (0750 when a socket group is configured, so only that group may reach the sockets),
 * removed with everything in it by {@link #close()}; a per-owner directory means a
 * crashed process leaves at most one directory, and no other local user can connect. Or,
 * for a plugin whose host named a directory in {@code PLUGIN_UNIX_SOCKET_DIR}, that
 * directory itself ({@link #shared}): sockets go directly into it as
 * {@code plugin<digits>}, as go-plugin 1.6 plugins put them (container runners translate
 * addresses by that directory), and {@link #close()} removes only those sockets; the
 * directory is the host's. Where the file system has no POSIX permissions (Windows) a
 * private directory takes the ACL of its parent, the user's own temporary directory by
 * default.
 */
public final class SocketDirectory implements AutoCloseable {

	/**
	 * Linux's (and Windows') {@code sun_path} holds 108 bytes including the terminating
	 * NUL.
	 */
	public static final int MAX_SOCKET_PATH_BYTES = 107;

	/**
	 * macOS's and the BSDs' {@code sun_path} holds 104 bytes including the terminating
	 * NUL.
	 */
	static final int MAX_BSD_SOCKET_PATH_BYTES = 103;

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

	private static final Set<PosixFilePermission> OWNER_AND_GROUP = PosixFilePermissions.fromString("rwxr-x---");

	private static final Set<PosixFilePermission> OWNER_AND_GROUP_WRITABLE = PosixFilePermissions
		.fromString("rwxrwx---");

	private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

	private final Path path;

	private final String group;

	private final AtomicInteger sockets = new AtomicInteger();

	/**
	 * The sockets handed out in a shared directory; {@code null} for a private directory.
	 */
	private final Set<Path> created;

	private SocketDirectory(Path path, String group, boolean shared) {
		this.path = path;
		this.group = group;
		this.created = shared ? ConcurrentHashMap.newKeySet() : null;
	}

	/**
	 * Uses a directory someone else owns (the host's {@code PLUGIN_UNIX_SOCKET_DIR}):
	 * nothing is created or removed but the sockets handed out by {@link #nextSocket}.
	 * @param dir the directory, which must exist
	 * @param group group that may connect, usually {@code PLUGIN_UNIX_SOCKET_GROUP}; may
	 * be {@code null}
	 * @return the directory
	 * @throws UncheckedIOException if {@code dir} is not a directory
	 */
	public static SocketDirectory shared(String dir, String group) {
		Path path = Path.of(dir);
		if (!Files.isDirectory(path)) {
			throw new UncheckedIOException(
					"The socket directory " + dir + " (PLUGIN_UNIX_SOCKET_DIR) does not exist or is not a directory",
					new java.nio.file.NotDirectoryException(dir));
		}
		return new SocketDirectory(path, (group == null || group.isEmpty()) ? null : group, true);
	}

	/**
	 * A plugin's sockets: directly in the host's {@code PLUGIN_UNIX_SOCKET_DIR} when it
	 * sent one (go-plugin 1.6), else in a private directory under {@code $TMPDIR}.
	 * @param unixSocketDir the value of {@code PLUGIN_UNIX_SOCKET_DIR}; may be
	 * {@code null} or empty
	 * @param group the value of {@code PLUGIN_UNIX_SOCKET_GROUP}; may be {@code null} or
	 * empty
	 * @return the directory
	 */
	public static SocketDirectory forPlugin(String unixSocketDir, String group) {
		return (unixSocketDir != null && !unixSocketDir.isEmpty()) ? shared(unixSocketDir, group) : create(null, group);
	}

	/**
	 * Creates the directory under {@code base}, or under {@code $TMPDIR} (else
	 * {@code /tmp}; on Windows {@code java.io.tmpdir}, the user's {@code %TEMP%}) when
	 * base is {@code null}, as Go does ({@code java.io.tmpdir} ignores {@code $TMPDIR} on
	 * Unix).
	 * @param base parent directory, usually {@code PLUGIN_UNIX_SOCKET_DIR}; may be
	 * {@code null}
	 * @param group group that may connect, usually {@code PLUGIN_UNIX_SOCKET_GROUP}; may
	 * be {@code null}
	 * @return the directory
	 * @throws UncheckedIOException if it cannot be created
	 */
	public static SocketDirectory create(String base, String group) {
		return create(base, group, OWNER_AND_GROUP);
	}

	/**
	 * Creates the directory a host hands its plugin as {@code PLUGIN_UNIX_SOCKET_DIR}:
	 * 0700, or with a group 0770 and owned by it as go-plugin makes it, so that a plugin
	 * running as another user of the group can create its socket there.
	 * @param base parent directory; {@code $TMPDIR} (else {@code /tmp}) when {@code null}
	 * @param group the plugin's {@code PLUGIN_UNIX_SOCKET_GROUP}; may be {@code null}
	 * @return the directory
	 * @throws UncheckedIOException if it cannot be created or the group does not exist
	 */
	public static SocketDirectory createForPlugin(String base, String group) {
		return create(base, group, OWNER_AND_GROUP_WRITABLE);
	}

	private static SocketDirectory create(String base, String group, Set<PosixFilePermission> groupPermissions) {
		Path parent = Path.of(firstNonEmpty(base, System.getenv("TMPDIR"),
				Platform.isWindows() ? System.getProperty("java.io.tmpdir") : "/tmp"));
		String owner = (group == null || group.isEmpty()) ? null : group;
		try {
			Path dir = createShortDirectory(parent, OWNER_ONLY);
			SocketDirectory directory = new SocketDirectory(dir, owner, false);
			if (owner != null && hasPosixPermissions(dir)) {
				try {
					directory.applyGroup(dir, groupPermissions);
				}
				catch (IOException ex) {
					deleteRecursively(dir);
					throw ex;
				}
			}
			return directory;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create a private socket directory in " + parent
					+ ((owner != null) ? " for the group '" + owner + "'" : "") + ": " + ex, ex);
		}
	}

	/**
	 * Creates {@code plugin} + 8 random characters: socket paths stay far below the
	 * kernel's limit even when a host's directory nests a plugin's (java.io's temp names
	 * add 19 digits each).
	 */
	private static Path createShortDirectory(Path parent, Set<PosixFilePermission> permissions) throws IOException {
		for (int attempt = 0;; attempt++) {
			StringBuilder name = new StringBuilder("plugin");
			for (int i = 0; i < 8; i++) {
				name.append(Character.forDigit(RANDOM.nextInt(36), 36));
			}
			try {
				return Files.createDirectory(parent.resolve(name.toString()),
						PosixFilePermissions.asFileAttribute(permissions));
			}
			catch (UnsupportedOperationException ex) {
				// No POSIX permissions on this file system (Windows): the parent's ACL
				// applies.
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
			throw new IllegalStateException(
					"The Unix socket path " + socket + " is " + length + " bytes long, more than the " + max
							+ " the kernel allows; set PLUGIN_UNIX_SOCKET_DIR or TMPDIR to a shorter directory");
		}
		return socket;
	}

	/**
	 * @return the longest Unix socket path this OS takes, in bytes without the
	 * terminating NUL
	 */
	static int maxSocketPathBytes() {
		Platform.Os os = Platform.os();
		return (os == Platform.Os.MACOS || os == Platform.Os.OTHER) ? MAX_BSD_SOCKET_PATH_BYTES : MAX_SOCKET_PATH_BYTES;
	}

	/**
	 * @param prefix start of the file name in a private directory
	 * @return a new socket path, unique within this directory: {@code <prefix><n>.sock}
	 * in a private directory, {@code plugin<random digits>} (go-plugin's
	 * {@code os.CreateTemp(dir, "plugin")}) in a shared one, where other processes put
	 * sockets too
	 */
	public Path nextSocket(String prefix) {
		if (this.created == null) {
			return socket(prefix + this.sockets.incrementAndGet() + ".sock");
		}
		for (int attempt = 0;; attempt++) {
			Path candidate = socket("plugin" + Integer.toUnsignedString(RANDOM.nextInt()));
			if (!Files.exists(candidate, java.nio.file.LinkOption.NOFOLLOW_LINKS) && this.created.add(candidate)) {
				return candidate;
			}
			if (attempt > 100) {
				throw new IllegalStateException("Could not find a free socket name in " + this.path);
			}
		}
	}

	/**
	 * @return whether this is the host's directory ({@link #shared}) rather than a
	 * private one
	 */
	public boolean isShared() {
		return this.created != null;
	}

	/**
	 * Restricts a socket the server just bound: 0600, or 0660 with the configured group
	 * (go-plugin's {@code PLUGIN_UNIX_SOCKET_GROUP} rule).
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
		GroupPrincipal principal = file.getFileSystem()
			.getUserPrincipalLookupService()
			.lookupPrincipalByGroupName(this.group);
		Files.getFileAttributeView(file, PosixFileAttributeView.class).setGroup(principal);
		Files.setPosixFilePermissions(file, permissions);
	}

	/**
	 * @return the directory
	 */
	public Path path() {
		return this.path;
	}

	/**
	 * Removes a private directory and every socket in it, or in a shared directory the
	 * sockets handed out (only if they are sockets); safe to call more than once.
	 */
	@Override
	public void close() {
		if (this.created == null) {
			deleteRecursively(this.path);
			return;
		}
		for (Path socket : this.created) {
			SocketFile.deleteIfSocket(socket);
		}
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
			// Best effort: a directory we cannot remove is reported by the leak tests,
			// not by a crash here.
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
