package io.pluginrpc.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pluginrpc.core.Platform;

/**
 * A plugin's own session and process group, so that everything it spawns can be killed
 * even after it crashed: its children are re-parented to init then and no longer look
 * like its descendants, but they stay in its group. Java cannot call setsid(2);
 * util-linux {@code setsid} does and then execs the plugin in place, because a child of
 * the JVM is never a process-group leader: the plugin keeps the pid the host sees, and
 * its group id is that pid. The group's members are found in {@code /proc}.
 * <p>
 * Linux only, and not in the portable mode ({@link Platform}): macOS has neither
 * {@code setsid(1)} nor {@code /proc}, Windows has no process groups; there plugins stay
 * in the host's group and are stopped with their descendants ({@link ProcessHandle}).
 * Also not when the host's stdin is a terminal: a new session has no controlling
 * terminal, so a plugin could not prompt on it (go-plugin keeps plugins in the host's
 * session for that), and a new process group in the same session would not help either: a
 * background group that reads the terminal is stopped by SIGTTIN. The terminal wins over
 * the group kill.
 */
final class ProcessGroup {

	private static final Logger logger = LoggerFactory.getLogger(ProcessGroup.class);

	private static final Path SETSID = findSetsid();

	/**
	 * How long {@link #kill} keeps killing members that are still there (a fork loop, a
	 * slow exit).
	 */
	private static final long KILL_PATIENCE_MILLIS = 2000;

	private ProcessGroup() {
	}

	/**
	 * @param pluginName for the log
	 * @param command the plugin's command
	 * @param workingDirectory where it runs, or {@code null}
	 * @return the command that runs it in a new session, or {@code null} to launch it
	 * directly: no {@code setsid}, or an executable that does not resolve, which the
	 * direct launch reports as before
	 */
	static List<String> inNewSession(String pluginName, List<String> command, Path workingDirectory) {
		if (!Platform.allowsLinuxTools() || !Platform.hasProcFilesystem()) {
			logger.debug("Plugin '{}': no process group of its own on {}{}; its descendants are stopped with it",
					pluginName, System.getProperty("os.name"), Platform.isPortable() ? " in portable mode" : "");
			return null;
		}
		if (stdinIsTerminal()) {
			logger.debug("Plugin '{}': the host's stdin is a terminal; launching the plugin in the host's session"
					+ " and process group so that it can use the terminal (no process-group kill)", pluginName);
			return null;
		}
		if (SETSID == null) {
			logger.debug("Plugin '{}': no setsid on the PATH; launching it in the host's process group, so children"
					+ " it leaves behind when it crashes are not killed", pluginName);
			return null;
		}
		String program = command.get(0);
		Path executable;
		try {
			executable = ChecksumVerifier.resolveExecutable(pluginName, program, workingDirectory);
		}
		catch (PluginStartException ex) {
			logger.debug("Plugin '{}': launching it directly: {}", pluginName, ex.getMessage());
			return null;
		}
		List<String> wrapped = new ArrayList<>(command.size() + 2);
		wrapped.add(SETSID.toString());
		wrapped.add("--");
		// setsid searches the plugin's PATH; the JVM searched its own, so a bare name is
		// resolved here as before.
		wrapped.add(program.contains("/") ? program : executable.toString());
		wrapped.addAll(command.subList(1, command.size()));
		return wrapped;
	}

	/**
	 * Kills every live member of the group with SIGKILL, again and again until none is
	 * left (members may fork meanwhile) or the patience runs out.
	 * @param pgid the group
	 * @return how many processes were killed
	 */
	static int kill(long pgid) {
		Set<Long> killed = new LinkedHashSet<>();
		long deadline = System.nanoTime() + KILL_PATIENCE_MILLIS * 1_000_000;
		while (true) {
			List<ProcessHandle> members = members(pgid);
			if (members.isEmpty()) {
				return killed.size();
			}
			for (ProcessHandle member : members) {
				member.destroyForcibly();
				killed.add(member.pid());
			}
			if (System.nanoTime() > deadline) {
				logger.warn("Process group {} still has members after {} ms of SIGKILL: {}", pgid, KILL_PATIENCE_MILLIS,
						members.stream().map(ProcessHandle::pid).toList());
				return killed.size();
			}
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return killed.size();
			}
		}
	}

	/**
	 * @param pgid a process group
	 * @return its members that are not yet dead (zombies are dead), from {@code /proc};
	 * none where there is no {@code /proc}
	 */
	static List<ProcessHandle> members(long pgid) {
		List<ProcessHandle> members = new ArrayList<>();
		if (!Platform.hasProcFilesystem()) {
			return members;
		}
		try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
			entries.filter((entry) -> isNumber(entry.getFileName().toString())).forEach((entry) -> {
				long pid = Long.parseLong(entry.getFileName().toString());
				if (isLiveMember(entry.resolve("stat"), pgid)) {
					ProcessHandle.of(pid).ifPresent(members::add);
				}
			});
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Cannot list the members of process group {}: {}", pgid, ex.toString());
		}
		return members;
	}

	/**
	 * Fields after the command name, which may hold anything, even ") ": state, ppid,
	 * pgrp.
	 */
	private static boolean isLiveMember(Path stat, long pgid) {
		String text;
		try {
			text = new String(Files.readAllBytes(stat), StandardCharsets.ISO_8859_1);
		}
		catch (IOException ex) {
			// Exited meanwhile.
			return false;
		}
		String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ", 4);
		return fields.length >= 3 && !fields[0].equals("Z") && !fields[0].equals("X")
				&& fields[2].equals(Long.toString(pgid));
	}

	private static boolean isNumber(String name) {
		return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
	}

	private static Path findSetsid() {
		String path = System.getenv("PATH");
		List<String> dirs = new ArrayList<>((path != null) ? List.of(path.split(":")) : List.of());
		dirs.addAll(List.of("/usr/bin", "/bin"));
		for (String dir : dirs) {
			Path candidate = Path.of(dir.isEmpty() ? "." : dir, "setsid");
			if (candidate.isAbsolute() && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		return null;
	}

	/**
	 * @return whether plugins get their own process group (terminal aside)
	 */
	static boolean available() {
		return SETSID != null && Platform.allowsLinuxTools() && Platform.hasProcFilesystem();
	}

	/**
	 * @return whether this JVM's stdin, which plugins inherit, is a terminal
	 * ({@code /proc/self/fd/0} names a tty or pty device)
	 */
	static boolean stdinIsTerminal() {
		try {
			String target = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
			return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
		}
		catch (IOException | UnsupportedOperationException ex) {
			return false;
		}
	}

}
