package io.pluginrpc.host;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

import io.pluginrpc.core.transport.SocketDirectory;
import io.pluginrpc.core.transport.SocketFile;

/**
 * The socket paths of one start of a plugin: the host's private directory, and the socket
 * the plugin's handshake line names, as far as the host can attribute it to that plugin.
 * A plugin killed before it can clean up leaves its socket (go-plugin#119); the host
 * removes it, but never a file it cannot attribute: a buggy or hostile line may name
 * another program's live socket ({@code /tmp/.s.PGSQL.5432}).
 * <p>
 * Attributable are a path inside the private directory the host gave the plugin
 * ({@code PLUGIN_UNIX_SOCKET_DIR}), and a go-plugin 1.0.1-style {@code plugin<digits>}
 * socket directly in the plugin's {@code $TMPDIR} (1.0.1 ignores the directory variable)
 * that appeared after the launch; the latter is removed only if no process accepts
 * connections on it any more.
 */
final class PluginSockets {

	/** go-plugin 1.0.1 names its socket with {@code ioutil.TempFile("", "plugin")}. */
	private static final Pattern GO_TEMP_SOCKET = Pattern.compile("plugin[0-9]+");

	/**
	 * Linux stamps files with a coarse clock (one tick, a few milliseconds, behind a
	 * precise reading): a socket bound right after the launch may carry a time a little
	 * before it.
	 */
	private static final long CLOCK_SLACK_MILLIS = 50;

	private final ProcessRegistry registry;

	private final SocketDirectory directory;

	private Path claimed;

	private boolean outsideDirectory;

	private PluginSockets(ProcessRegistry registry, SocketDirectory directory) {
		this.registry = registry;
		this.directory = directory;
	}

	/**
	 * Creates a fresh private directory, removed by the orphan guard if the JVM dies
	 * before {@link #release}.
	 * @param registry the host's registry
	 * @param base where to create it, or {@code null} for {@code $TMPDIR}
	 * @return the sockets of one start
	 */
	static PluginSockets create(ProcessRegistry registry, Path base) {
		return create(registry, base, null);
	}

	/**
	 * Creates a fresh private directory, removed by the orphan guard if the JVM dies
	 * before {@link #release}.
	 * @param registry the host's registry
	 * @param base where to create it, or {@code null} for {@code $TMPDIR}
	 * @param group the plugin's socket group (the directory is then 0770 and owned by
	 * it), or {@code null}
	 * @return the sockets of one start
	 */
	static PluginSockets create(ProcessRegistry registry, Path base, String group) {
		SocketDirectory directory = SocketDirectory.createForPlugin((base != null) ? base.toString() : null, group);
		registry.registerPath(directory.path(), true);
		return new PluginSockets(registry, directory);
	}

	/**
	 * @return the private directory
	 */
	SocketDirectory directory() {
		return this.directory;
	}

	/**
	 * Looks at a handshake line as soon as it is read, before it is accepted: a rejected
	 * line's socket is removed too. An attributable socket is registered with the orphan
	 * guard at once.
	 * @param line the plugin's first stdout line, parsed or not
	 * @param launched when the plugin was launched
	 * @param childEnvironment the plugin's environment, for its {@code $TMPDIR}
	 */
	synchronized void claim(String line, Instant launched, Map<String, String> childEnvironment) {
		Path socket = unixSocket(line);
		if (socket == null || this.claimed != null) {
			return;
		}
		if (socket.startsWith(this.directory.path())) {
			this.claimed = socket;
			this.outsideDirectory = false;
		}
		else if (isGoTempSocket(socket, launched, childEnvironment)) {
			this.claimed = socket;
			this.outsideDirectory = true;
			this.registry.registerPath(socket, false);
		}
	}

	/**
	 * @return the attributed socket, or {@code null}
	 */
	synchronized Path claimed() {
		return this.claimed;
	}

	/**
	 * Removes the attributed socket and the private directory. Call once the plugin is
	 * dead: a socket outside the directory on which something still accepts connections
	 * belongs to someone else now and is kept.
	 */
	synchronized void release() {
		if (this.claimed != null && this.outsideDirectory) {
			if (!isListenedOn(this.claimed)) {
				SocketFile.deleteIfSocket(this.claimed);
			}
			this.registry.unregisterPath(this.claimed);
		}
		this.claimed = null;
		this.directory.close();
		this.registry.unregisterPath(this.directory.path());
	}

	/**
	 * @param line a handshake line, possibly malformed
	 * @return the absolute Unix socket path it names in fields 3 and 4, or {@code null}
	 */
	static Path unixSocket(String line) {
		if (line == null) {
			return null;
		}
		String[] fields = line.strip().split("\\|", -1);
		if (fields.length < 4 || !"unix".equals(fields[2].strip())) {
			return null;
		}
		try {
			Path socket = Path.of(fields[3].strip());
			return socket.isAbsolute() ? socket.normalize() : null;
		}
		catch (InvalidPathException ex) {
			return null;
		}
	}

	private static boolean isGoTempSocket(Path socket, Instant launched, Map<String, String> childEnvironment) {
		Path fileName = socket.getFileName();
		if (fileName == null || !GO_TEMP_SOCKET.matcher(fileName.toString()).matches()) {
			return false;
		}
		String tmp = childEnvironment.getOrDefault("TMPDIR", "");
		Path tmpDir;
		try {
			tmpDir = Path.of(tmp.isEmpty() ? "/tmp" : tmp).toAbsolutePath().normalize();
		}
		catch (InvalidPathException ex) {
			return false;
		}
		if (!tmpDir.equals(socket.getParent()) || !SocketFile.isSocket(socket)) {
			return false;
		}
		try {
			Instant created = Files.getLastModifiedTime(socket, LinkOption.NOFOLLOW_LINKS).toInstant();
			return !created.isBefore(launched.minusMillis(CLOCK_SLACK_MILLIS));
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static boolean isListenedOn(Path socket) {
		try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			channel.connect(UnixDomainSocketAddress.of(socket));
			return true;
		}
		catch (IOException | UnsupportedOperationException ex) {
			return false;
		}
	}

}
