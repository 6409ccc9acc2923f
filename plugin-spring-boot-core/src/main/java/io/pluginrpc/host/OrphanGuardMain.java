package io.pluginrpc.host;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The orphan guard where there is no {@code /bin/sh} guard (macOS, Windows, the portable
 * mode): the same line protocol as {@code orphan-guard.sh}, in a small JVM of its own
 * that {@link GuardProcess} starts from this one class file. It must use nothing but
 * {@code java.base} and must not have nested classes: only this class file is copied out
 * of the host's class path.
 * <p>
 * At end of input (the host JVM died, the pipe closed) every plugin still registered is
 * killed with its descendants through {@link ProcessHandle} (no process groups: a
 * plugin's children that were already re-parented when the host died are not found), then
 * the registered paths are removed.
 */
public final class OrphanGuardMain {

	private OrphanGuardMain() {
	}

	/**
	 * @param args the directory holding this class file, removed once loaded (optional)
	 * @throws IOException never in practice: a broken pipe counts as end of input
	 */
	public static void main(String[] args) throws IOException {
		if (args.length == 1) {
			deleteTree(Path.of(args[0]));
		}
		Map<Long, ProcessHandle> plugins = new LinkedHashMap<>();
		Map<String, Path> directories = new LinkedHashMap<>();
		Map<String, Path> sockets = new LinkedHashMap<>();
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		while (true) {
			String line;
			try {
				line = in.readLine();
			}
			catch (IOException ex) {
				// Windows reports a pipe whose writer died as an error, not as end of
				// file.
				line = null;
			}
			if (line == null) {
				break;
			}
			String[] parts = line.split(" ", 3);
			String op = parts[0];
			String id = (parts.length > 1) ? parts[1] : "";
			String arg = (parts.length > 2) ? parts[2] : "";
			switch (op) {
				case "add" -> {
					// The handle carries the start time: a pid reused after the plugin
					// exited is never killed.
					try {
						long pid = Long.parseLong(id);
						ProcessHandle.of(pid).ifPresent((handle) -> plugins.put(pid, handle));
					}
					catch (NumberFormatException ex) {
						// Not ours to guess.
					}
				}
				case "del" -> {
					try {
						plugins.remove(Long.parseLong(id));
					}
					catch (NumberFormatException ex) {
						// Nothing registered under it.
					}
				}
				case "dir" -> directories.put(id, Path.of(arg));
				case "sock" -> sockets.put(id, Path.of(arg));
				case "undir" -> directories.remove(id);
				case "unsock" -> sockets.remove(id);
				default -> {
				}
			}
		}
		for (ProcessHandle plugin : plugins.values()) {
			List<ProcessHandle> descendants = plugin.descendants().toList();
			plugin.destroyForcibly();
			descendants.forEach(ProcessHandle::destroyForcibly);
		}
		for (Path socket : sockets.values()) {
			if (isSocket(socket)) {
				Files.deleteIfExists(socket);
			}
		}
		for (Path directory : directories.values()) {
			deleteTree(directory);
		}
	}

	/**
	 * A socket: {@code S_IFSOCK} where the file system has Unix modes, else a special
	 * file (Windows: a reparse point).
	 */
	private static boolean isSocket(Path path) {
		try {
			Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
			return mode instanceof Integer bits && (bits & 0170000) == 0140000;
		}
		catch (UnsupportedOperationException | IllegalArgumentException ex) {
			try {
				return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
			}
			catch (IOException gone) {
				return false;
			}
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static void deleteTree(Path root) {
		if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		List<Path> entries = new ArrayList<>();
		try (Stream<Path> walk = Files.walk(root)) {
			walk.forEach(entries::add);
		}
		catch (IOException | RuntimeException ex) {
			// Best effort, as the shell guard's rm -rf.
		}
		entries.sort(Comparator.reverseOrder());
		for (Path entry : entries) {
			try {
				Files.deleteIfExists(entry);
			}
			catch (IOException ex) {
				// Best effort.
			}
		}
	}

}
