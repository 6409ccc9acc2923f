package io.pluginrpc.core.handshake;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The plugin's half of version negotiation, as go-plugin's server does it (spec section
 * 2.3): the highest version both sides support wins; with no overlap (or a legacy host
 * that sends nothing) the plugin falls back to its lowest version and lets the host
 * reject it.
 */
public final class VersionNegotiation {

	private VersionNegotiation() {
	}

	/**
	 * The outcome of a negotiation.
	 *
	 * @param version the version to serve and announce
	 * @param agreed whether the host offered it ({@code false} means the fallback was
	 * used)
	 * @param hostVersions the versions the host offered, highest first
	 */
	public record Result(int version, boolean agreed, List<Integer> hostVersions) {
	}

	/**
	 * Picks the version to serve.
	 * @param pluginVersions versions this plugin can serve (not empty)
	 * @param hostVersionsEnv the value of {@code PLUGIN_PROTOCOL_VERSIONS}, may be
	 * {@code null}
	 * @param warnings receives one message per unparsable item, like go-plugin's
	 * {@code server sent invalid plugin version}
	 * @return the chosen version
	 */
	public static Result negotiate(Collection<Integer> pluginVersions, String hostVersionsEnv,
			Consumer<String> warnings) {
		if (pluginVersions.isEmpty()) {
			throw new IllegalArgumentException("A plugin must serve at least one protocol version");
		}
		List<Integer> host = parseHostVersions(hostVersionsEnv, warnings);
		List<Integer> own = new ArrayList<>(pluginVersions);
		own.sort(Comparator.reverseOrder());
		for (Integer candidate : own) {
			if (host.contains(candidate)) {
				return new Result(candidate, true, host);
			}
		}
		return new Result(own.get(own.size() - 1), false, host);
	}

	private static List<Integer> parseHostVersions(String env, Consumer<String> warnings) {
		List<Integer> versions = new ArrayList<>();
		if (env == null || env.isEmpty()) {
			return versions;
		}
		for (String item : env.split(",", -1)) {
			try {
				// No trimming, as in go-plugin: " 2" is not a version.
				versions.add(Integer.parseInt(item));
			}
			catch (NumberFormatException ex) {
				warnings.accept("server sent invalid plugin version \"" + item + "\"");
			}
		}
		versions.sort(Comparator.reverseOrder());
		return versions;
	}

}
