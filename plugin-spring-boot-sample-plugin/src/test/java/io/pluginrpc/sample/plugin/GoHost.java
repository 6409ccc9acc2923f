package io.pluginrpc.sample.plugin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.pluginrpc.sample.plugin.InteropPeers.GoPeer;

/**
 * Our Go host ({@code interop/go/.../go-host}) of one go-plugin version, running a
 * scenario against the sample plugin jar. It prints one {@code PASS name} or
 * {@code FAIL name: reason} line per check, then {@code RESULT <n> passed, <m> failed};
 * its last check, {@code kill}, verifies that the plugin process and its socket are gone
 * after go-plugin's {@code Kill()}.
 */
final class GoHost {

	/**
	 * A bound against a hang: a JVM plugin on a busy 2-core machine can take a minute to
	 * start.
	 */
	private static final long TIMEOUT_SECONDS = 300;

	private static final Pattern FAILED_CHECK = Pattern.compile("(?m)^FAIL ");

	private static final Pattern ALL_PASSED = Pattern.compile("(?m)^RESULT [1-9]\\d* passed, 0 failed$");

	private GoHost() {
	}

	/**
	 * @param peer the go-plugin version (and features) of the host
	 * @param hostArgs go-host's flags, e.g. {@code -automtls -scenario kv}
	 * @param pluginArgs the sample plugin's program arguments, e.g. {@code counter}
	 * @return the host's output (its stderr, with the plugin's stderr as go-plugin logs
	 * it, interleaved) followed by {@code (exit status N)}
	 */
	static String run(GoPeer peer, List<String> hostArgs, String... pluginArgs) {
		List<String> command = new ArrayList<>(peer.goHost());
		command.addAll(hostArgs);
		command.add("--");
		command.addAll(PluginProcess.javaCommand(pluginArgs));
		return InteropPeers.run(command, Map.of(), Path.of("").toAbsolutePath(), TIMEOUT_SECONDS).transcript();
	}

	/**
	 * @param peer the go-plugin version (and features) of the host
	 * @param hostArgs go-host's flags
	 * @param pluginArgs the sample plugin's program arguments
	 * @return the output of a run whose every check passed
	 * @throws AssertionError naming the output otherwise
	 */
	static String runPassing(GoPeer peer, List<String> hostArgs, String... pluginArgs) {
		String output = run(peer, hostArgs, pluginArgs);
		if (!output.contains("INFO go-plugin " + peer.version() + " host") || FAILED_CHECK.matcher(output).find()
				|| !ALL_PASSED.matcher(output).find() || !output.endsWith("(exit status 0)")) {
			throw new AssertionError(peer + " go-host " + hostArgs + " did not pass every check:\n" + output);
		}
		return output;
	}

}
