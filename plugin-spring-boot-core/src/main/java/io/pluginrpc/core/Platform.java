package io.pluginrpc.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the operating system offers beyond the JDK, and the portable mode that turns every
 * Linux-only mechanism off at once (Netty's native epoll transport, {@code /proc},
 * util-linux {@code setsid}, the {@code /bin/sh} orphan guard), so that Linux runs the
 * code paths macOS and Windows take. The switch is the system property
 * {@value #PORTABLE_PROPERTY} or the environment variable {@value #PORTABLE_ENV}
 * ({@code true}); a host in portable mode passes the variable on to the plugins it
 * launches, so a whole host/plugin tree runs portable. Read on every call: nothing here
 * is cached.
 */
public final class Platform {

	/** System property that turns the portable mode on. */
	public static final String PORTABLE_PROPERTY = "pluginrpc.portable";

	/**
	 * Environment variable that turns the portable mode on (and that a portable host sets
	 * for its plugins).
	 */
	public static final String PORTABLE_ENV = "PLUGINRPC_PORTABLE";

	/** The operating systems this project tells apart. */
	public enum Os {

		/** Linux: epoll, {@code /proc}, util-linux {@code setsid}. */
		LINUX,

		/**
		 * macOS: Unix sockets and process groups, no {@code /proc}, no {@code setsid}.
		 */
		MACOS,

		/** Windows: no process groups, no {@code /bin/sh}; go-plugin serves TCP there. */
		WINDOWS,

		/** Any other Unix: treated like macOS. */
		OTHER

	}

	private Platform() {
	}

	/**
	 * @return whether the portable mode is on
	 */
	public static boolean isPortable() {
		return isTrue(System.getProperty(PORTABLE_PROPERTY)) || isTrue(System.getenv(PORTABLE_ENV));
	}

	/**
	 * @return the operating system this JVM runs on (what {@code os.name} says, not the
	 * portable mode)
	 */
	public static Os os() {
		String name = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
		if (name.startsWith("linux")) {
			return Os.LINUX;
		}
		if (name.startsWith("mac") || name.startsWith("darwin")) {
			return Os.MACOS;
		}
		if (name.startsWith("windows")) {
			return Os.WINDOWS;
		}
		return Os.OTHER;
	}

	/**
	 * @return whether this is Windows (no process groups, no {@code /bin/sh}, {@code ;}
	 * in PATH)
	 */
	public static boolean isWindows() {
		return os() == Os.WINDOWS;
	}

	/**
	 * @return whether Linux's {@code /proc} may be read (Linux, not in portable mode):
	 * the members of a process group are found there
	 */
	public static boolean hasProcFilesystem() {
		return !isPortable() && os() == Os.LINUX && Files.isDirectory(Path.of("/proc/self"));
	}

	/**
	 * @return whether the Linux-only helpers may be used: util-linux {@code setsid} for a
	 * plugin's own process group and the {@code /bin/sh} orphan guard with {@code pkill}
	 * (Linux, not in portable mode)
	 */
	public static boolean allowsLinuxTools() {
		return !isPortable() && os() == Os.LINUX;
	}

	private static boolean isTrue(String value) {
		return value != null && value.strip().equalsIgnoreCase("true");
	}

}
