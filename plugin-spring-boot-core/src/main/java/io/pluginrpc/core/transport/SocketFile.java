package io.pluginrpc.core.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Removes a Unix socket file a dead peer left behind. Only a socket is removed: the path
 * comes from a plugin's handshake line, and a wrong or hostile line must not make the
 * host delete anything else.
 */
public final class SocketFile {

	/** {@code S_IFMT} and {@code S_IFSOCK} of {@code stat(2)}. */
	private static final int TYPE_MASK = 0170000;

	private static final int SOCKET_TYPE = 0140000;

	private SocketFile() {
	}

	/**
	 * @param path a path
	 * @return whether it is a socket (not following a symbolic link)
	 */
	public static boolean isSocket(Path path) {
		try {
			Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
			return mode instanceof Integer bits && (bits & TYPE_MASK) == SOCKET_TYPE;
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			return false;
		}
	}

	/**
	 * Deletes the path if it is a socket; anything else, or nothing, is left alone.
	 * @param path the socket
	 * @return whether a socket was deleted
	 */
	public static boolean deleteIfSocket(Path path) {
		if (!isSocket(path)) {
			return false;
		}
		try {
			return Files.deleteIfExists(path);
		}
		catch (IOException ex) {
			return false;
		}
	}

}
