package io.pluginrpc.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short command for a test, its output (stdout and stderr together) going to a
 * file: reading a pipe to its end before {@code waitFor} would make the bound useless, as
 * a stuck child would hang the test forever.
 */
public final class Commands {

	private Commands() {
	}

	/**
	 * @param command the command
	 * @param guard how long it may run at most, against a hang; it is killed after that
	 * @return its exit status and output
	 * @throws AssertionError if it does not end within {@code guard}
	 */
	public static Result run(List<String> command, Duration guard) {
		File output = null;
		try {
			output = File.createTempFile("command", ".out");
			Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output).start();
			if (!process.waitFor(guard.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				process.waitFor(10, TimeUnit.SECONDS);
				throw new AssertionError(String.join(" ", command) + " did not end within " + guard.toSeconds()
						+ " s; its output:\n" + Files.readString(output.toPath(), StandardCharsets.UTF_8));
			}
			return new Result(process.exitValue(), Files.readString(output.toPath(), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + command, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while running " + command, ex);
		}
		finally {
			if (output != null) {
				output.delete();
			}
		}
	}

	/**
	 * What a command did.
	 *
	 * @param exitStatus its exit status
	 * @param output its stdout and stderr, interleaved
	 */
	public record Result(int exitStatus, String output) {
	}

}
