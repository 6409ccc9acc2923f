package io.pluginrpc.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import io.pluginrpc.core.Platform;

/**
 * Verifies the plugin executable before launch, like go-plugin's {@code SecureConfig}:
 * the configured {@code algorithm:hex} (e.g. {@code sha256:9f86d0...}) must match the
 * file the command's first element resolves to. For interpreted plugins that is the
 * interpreter, as in go-plugin.
 */
public final class ChecksumVerifier {

	private ChecksumVerifier() {
	}

	/**
	 * @param pluginName for messages
	 * @param checksum {@code algorithm:hex}
	 * @param executable the resolved executable
	 * @throws PluginStartException if the checksum is malformed, unreadable or different
	 */
	public static void verify(String pluginName, String checksum, Path executable) {
		int colon = checksum.indexOf(':');
		if (colon <= 0) {
			throw new PluginStartException(pluginName, PluginStartException.Reason.CHECKSUM, "Plugin '" + pluginName
					+ "': expected the checksum as 'algorithm:hex' (e.g. sha256:9f86d0...), but got '" + checksum + "'",
					null);
		}
		String algorithm = jdkAlgorithm(checksum.substring(0, colon));
		byte[] expected;
		MessageDigest digest;
		try {
			expected = HexFormat.of().parseHex(checksum.substring(colon + 1).strip().toLowerCase(Locale.ROOT));
			digest = MessageDigest.getInstance(algorithm);
		}
		catch (IllegalArgumentException | NoSuchAlgorithmException ex) {
			throw new PluginStartException(pluginName, PluginStartException.Reason.CHECKSUM,
					"Plugin '" + pluginName + "': cannot use checksum '" + checksum + "': " + ex.getMessage(), ex);
		}
		if (expected.length != digest.getDigestLength()) {
			throw new PluginStartException(pluginName, PluginStartException.Reason.CHECKSUM,
					"Plugin '" + pluginName + "': a " + checksum.substring(0, colon) + " checksum has "
							+ digest.getDigestLength() * 2 + " hex digits, but the configured one has "
							+ (checksum.length() - colon - 1),
					null);
		}
		try (InputStream in = Files.newInputStream(executable)) {
			byte[] buffer = new byte[64 * 1024];
			int read;
			while ((read = in.read(buffer)) >= 0) {
				digest.update(buffer, 0, read);
			}
		}
		catch (IOException ex) {
			throw new PluginStartException(pluginName, PluginStartException.Reason.CHECKSUM,
					"Plugin '" + pluginName + "': cannot read " + executable + " to verify its checksum: " + ex, ex);
		}
		byte[] actual = digest.digest();
		if (!MessageDigest.isEqual(expected, actual)) {
			throw new ChecksumMismatchException(pluginName, executable,
					checksum.substring(0, colon) + ":" + HexFormat.of().formatHex(expected),
					checksum.substring(0, colon) + ":" + HexFormat.of().formatHex(actual));
		}
	}

	/**
	 * @param name as configured: {@code sha256}, {@code SHA-256}, {@code sha3-256},
	 * {@code sha512}, ...
	 * @return the JDK's name: {@code SHA-256}, {@code SHA3-256}, {@code SHA-512}, ...
	 */
	static String jdkAlgorithm(String name) {
		String upper = name.toUpperCase(Locale.ROOT);
		if (upper.matches("SHA\\d+")) {
			return "SHA-" + upper.substring(3);
		}
		if (upper.matches("SHA3\\d+")) {
			return "SHA3-" + upper.substring(4);
		}
		return upper;
	}

	/**
	 * Resolves a command's first element like the OS would: paths as given, bare names on
	 * {@code PATH} (on Windows {@code ;}-separated, trying each {@code PATHEXT} extension
	 * when the name has none).
	 * @param pluginName for messages
	 * @param program the first argv element
	 * @param workingDirectory directory relative paths start from
	 * @return the executable
	 * @throws PluginStartException if there is no such executable
	 */
	public static Path resolveExecutable(String pluginName, String program, Path workingDirectory) {
		boolean windows = Platform.isWindows();
		return resolveExecutable(pluginName, program, workingDirectory, System.getenv("PATH"), windows ? ";" : ":",
				windows ? windowsExtensions(System.getenv("PATHEXT")) : List.of(""));
	}

	/**
	 * @param pathVariable the {@code PATH}
	 * @param separator its separator
	 * @param extensions suffixes to try in order; {@code ""} for the name as given
	 */
	static Path resolveExecutable(String pluginName, String program, Path workingDirectory, String pathVariable,
			String separator, List<String> extensions) {
		boolean hasExtension = program.lastIndexOf('.') > Math.max(program.lastIndexOf('/'), program.lastIndexOf('\\'));
		List<String> suffixes = hasExtension ? List.of("") : extensions;
		if (program.contains("/") || (separator.equals(";") && program.contains("\\"))) {
			Path path = (workingDirectory != null) ? workingDirectory.resolve(program) : Path.of(program);
			for (String suffix : suffixes) {
				Path candidate = Path.of(path + suffix);
				if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
					return candidate.toAbsolutePath();
				}
			}
			throw new PluginStartException(
					pluginName, PluginStartException.Reason.EXECUTABLE, "Plugin '" + pluginName + "': the executable "
							+ path.toAbsolutePath() + (Files.exists(path) ? " is not executable" : " does not exist"),
					null);
		}
		if (pathVariable != null) {
			for (String dir : pathVariable.split(java.util.regex.Pattern.quote(separator))) {
				for (String suffix : suffixes) {
					Path candidate = Path.of(dir.isEmpty() ? "." : dir, program + suffix);
					if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
						return candidate.toAbsolutePath();
					}
				}
			}
		}
		throw new PluginStartException(pluginName, PluginStartException.Reason.EXECUTABLE,
				"Plugin '" + pluginName + "': no executable '" + program + "' found on the PATH (" + pathVariable + ")",
				null);
	}

	/**
	 * @return {@code ""} and then {@code PATHEXT}'s extensions, lower case (Windows'
	 * default if unset)
	 */
	static List<String> windowsExtensions(String pathext) {
		List<String> extensions = new java.util.ArrayList<>(List.of(""));
		String value = (pathext == null || pathext.isBlank()) ? ".COM;.EXE;.BAT;.CMD" : pathext;
		for (String extension : value.split(";")) {
			if (!extension.isBlank()) {
				extensions.add(extension.strip().toLowerCase(java.util.Locale.ROOT));
			}
		}
		return extensions;
	}

}
