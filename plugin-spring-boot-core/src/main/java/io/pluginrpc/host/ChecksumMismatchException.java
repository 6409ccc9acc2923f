package io.pluginrpc.host;

import java.nio.file.Path;

/**
 * The plugin executable is not the one the configured checksum describes
 * ({@link Reason#CHECKSUM}): both sums and the file, for failure analyzers and operators.
 */
public class ChecksumMismatchException extends PluginStartException {

	private final Path executable;

	private final String expected;

	private final String actual;

	/**
	 * @param pluginName the plugin
	 * @param executable the file that was hashed
	 * @param expected the configured checksum, as {@code algorithm:hex}
	 * @param actual the file's checksum, as {@code algorithm:hex}
	 */
	public ChecksumMismatchException(String pluginName, Path executable, String expected, String actual) {
		super(pluginName, Reason.CHECKSUM,
				"Plugin '" + pluginName + "': checksums did not match for " + executable + ": expected " + expected
						+ ", but the file has " + actual
						+ "; the executable was replaced or the configured checksum is stale",
				null);
		this.executable = executable;
		this.expected = expected;
		this.actual = actual;
	}

	/**
	 * @return the file that was hashed
	 */
	public Path getExecutable() {
		return this.executable;
	}

	/**
	 * @return the configured checksum ({@code algorithm:hex})
	 */
	public String getExpected() {
		return this.expected;
	}

	/**
	 * @return the file's checksum ({@code algorithm:hex})
	 */
	public String getActual() {
		return this.actual;
	}

}
