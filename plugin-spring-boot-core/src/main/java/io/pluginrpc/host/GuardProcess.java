package io.pluginrpc.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import io.pluginrpc.core.Platform;

/**
 * Starts the process of the {@link OrphanGuard}: on Linux {@code /bin/sh} running the
 * resource {@code orphan-guard.sh} (the lightest process, and it kills whole process
 * groups); everywhere else, and in the portable mode, a small JVM running
 * {@link OrphanGuardMain}, which needs nothing but the JDK this host runs on. Either
 * reads the same commands from its stdin. Both are started from a private copy of their
 * file (a directory of mode 0700 where POSIX permissions exist) that the guard removes as
 * soon as it has loaded it.
 */
final class GuardProcess {

	static final String SCRIPT = "orphan-guard.sh";

	private GuardProcess() {
	}

	/**
	 * @return whether the shell guard runs here (Linux with {@code /bin/sh}, not in
	 * portable mode)
	 */
	static boolean usesShell() {
		return Platform.allowsLinuxTools() && Files.isExecutable(Path.of("/bin/sh"));
	}

	/**
	 * @return the started guard, stdout and stderr discarded, its stdin the command pipe
	 * @throws IOException if it cannot be started
	 */
	static Process start() throws IOException {
		return start(Path.of(System.getProperty("java.io.tmpdir")));
	}

	/**
	 * @param tmp where the private copy goes
	 * @return the started guard
	 * @throws IOException if it cannot be started
	 */
	static Process start(Path tmp) throws IOException {
		Path dir = privateDirectory(tmp);
		try {
			List<String> command;
			if (usesShell()) {
				Path script = dir.resolve(SCRIPT);
				copy(SCRIPT, script);
				command = List.of("/bin/sh", script.toString());
			}
			else {
				String name = OrphanGuardMain.class.getName();
				copy(OrphanGuardMain.class.getSimpleName() + ".class", dir.resolve(name.replace('.', '/') + ".class"));
				Path java = Path.of(System.getProperty("java.home"), "bin", Platform.isWindows() ? "java.exe" : "java");
				// As small as a JVM gets: it reads a pipe and, once, kills a few
				// processes.
				command = List.of(java.toString(), "-Xmx16m", "-Xss256k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
						"-XX:-UsePerfData", "-cp", dir.toString(), name, dir.toString());
			}
			ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.redirectError(ProcessBuilder.Redirect.DISCARD);
			// Options meant for the application (agents, debuggers listening on a port)
			// must not start in the guard.
			Map<String, String> environment = builder.environment();
			environment.remove("JAVA_TOOL_OPTIONS");
			environment.remove("_JAVA_OPTIONS");
			environment.remove("JDK_JAVA_OPTIONS");
			return builder.start();
		}
		catch (IOException | RuntimeException ex) {
			io.pluginrpc.core.transport.SocketDirectory.deleteRecursively(dir);
			throw ex;
		}
	}

	private static Path privateDirectory(Path tmp) throws IOException {
		try {
			return Files.createTempDirectory(tmp, "plugin-guard",
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		}
		catch (UnsupportedOperationException ex) {
			return Files.createTempDirectory(tmp, "plugin-guard");
		}
	}

	private static void copy(String resource, Path target) throws IOException {
		try (InputStream in = GuardProcess.class.getResourceAsStream(resource)) {
			if (in == null) {
				throw new IOException(
						"the resource " + resource + " is missing from " + GuardProcess.class.getPackageName());
			}
			Files.createDirectories(target.getParent());
			Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
		}
	}

}
