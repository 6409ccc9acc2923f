package io.pluginrpc.host;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a host's plugins if the JVM dies without a chance to do it (SIGKILL, OOM killer):
 * one small process per {@link PluginHost} ({@link GuardProcess}: a shell on Linux, a
 * small JVM elsewhere) reads plugin pids from a pipe; when the JVM dies the pipe reaches
 * end of file and the guard kills every plugin still registered, with its children and
 * process group. Java plugins also watch their parent, but Go and Python plugins would
 * live on as orphans (go-plugin#10, #210). No polling: the kernel closes the pipe. Then
 * it removes what the dead can no longer remove: the host's private socket directories
 * and the sockets plugins left elsewhere (go-plugin 1.0.1 listens in {@code $TMPDIR},
 * go-plugin#119).
 */
final class OrphanGuard {

	private static final Logger logger = LoggerFactory.getLogger(OrphanGuard.class);

	private OutputStream pipe;

	private Process process;

	private boolean unavailable;

	/**
	 * @param pid a plugin process to kill if this JVM dies
	 * @param groupLeader whether it leads its own process group, to be killed with it
	 */
	synchronized void guard(long pid, boolean groupLeader) {
		send("add " + pid + (groupLeader ? " group" : ""));
	}

	/**
	 * @param pid a plugin process that is gone or stopped
	 */
	synchronized void release(long pid) {
		send("del " + pid);
	}

	/**
	 * @return the guard's pid, 0 before it is started; it is this JVM's child, but no
	 * plugin
	 */
	synchronized long pid() {
		return (this.process != null) ? this.process.pid() : 0;
	}

	/**
	 * Ends the guard without killing anything: closing the pipe is what the JVM's death
	 * does, and by now nothing is registered any more (the registry released everything
	 * first).
	 */
	synchronized void close() {
		if (this.pipe != null) {
			try {
				this.pipe.close();
			}
			catch (IOException ex) {
				// The guard is gone already.
			}
			this.process.onExit().completeOnTimeout(null, 5, java.util.concurrent.TimeUnit.SECONDS).join();
			this.pipe = null;
			this.process = null;
		}
		this.unavailable = true;
	}

	/**
	 * @param id a number identifying the registration, for {@link #releasePath}
	 * @param path a socket directory of ours (removed with its content) or a plugin's
	 * socket
	 * @param directory whether it is a directory
	 * @return whether the guard will remove it (a path with a newline or surrounding
	 * blanks cannot be sent)
	 */
	synchronized boolean guardPath(long id, java.nio.file.Path path, boolean directory) {
		String text = path.toString();
		if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0 || !text.equals(text.strip())) {
			return false;
		}
		send((directory ? "dir " : "sock ") + id + " " + text);
		return !this.unavailable;
	}

	/**
	 * @param id the registration
	 * @param directory whether it was a directory
	 */
	synchronized void releasePath(long id, boolean directory) {
		send((directory ? "undir " : "unsock ") + id);
	}

	private void send(String line) {
		if (this.unavailable) {
			return;
		}
		try {
			if (this.pipe == null) {
				this.process = GuardProcess.start();
				this.pipe = this.process.getOutputStream();
			}
			this.pipe.write((line + "\n").getBytes(StandardCharsets.UTF_8));
			this.pipe.flush();
		}
		catch (IOException ex) {
			this.unavailable = true;
			logger.warn("Cannot run the orphan guard: plugins may outlive this JVM if it is killed: {}", ex.toString());
		}
	}

}
