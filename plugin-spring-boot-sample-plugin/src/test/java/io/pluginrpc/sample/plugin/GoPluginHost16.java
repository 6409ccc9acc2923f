package io.pluginrpc.sample.plugin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one of the Go hosts built against go-plugin v1.6.3 by {@code interop/build.sh}
 * ({@code interop/build/bin/1.6.3/<name>}) and returns what it printed, ending in its
 * exit status.
 */
final class GoPluginHost16 {

	private GoPluginHost16() {
	}

	/**
	 * @param name the program, e.g. {@code go-reattach-host}
	 * @param arguments its arguments
	 * @return stdout and stderr, then {@code (exit status N)}
	 */
	static String run(String name, List<String> arguments) {
		Path binary = InteropPeers.build().resolve("interop/build/bin/1.6.3/" + name);
		if (!Files.isExecutable(binary)) {
			throw new IllegalStateException(
					binary + " is missing: interop/build.sh builds it against go-plugin v1.6.3");
		}
		List<String> command = new ArrayList<>();
		command.add(binary.toString());
		command.addAll(arguments);
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
				try {
					return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
				}
				catch (IOException ex) {
					return "(output unreadable: " + ex + ")";
				}
			});
			try {
				if (!process.waitFor(3, TimeUnit.MINUTES)) {
					throw new AssertionError(name + " did not finish within 3 minutes: " + command);
				}
				return output.get(10, TimeUnit.SECONDS) + "\n(exit status " + process.exitValue() + ")";
			}
			finally {
				process.descendants().forEach(ProcessHandle::destroyForcibly);
				process.destroyForcibly();
				process.waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (IOException | ExecutionException | TimeoutException ex) {
			throw new AssertionError("Could not run " + command, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while running " + command, ex);
		}
	}

}
