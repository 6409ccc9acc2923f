package io.pluginrpc.host;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills this JVM's plugins if the JVM dies without a chance to do it (SIGKILL, OOM killer): one small
 * shell process per JVM reads plugin pids from a pipe; when the JVM dies the pipe reaches end of file and
 * the guard kills every plugin still registered, with its children. Java plugins also watch their parent,
 * but Go and Python plugins would live on as orphans (go-plugin#10, #210). No polling: the kernel closes
 * the pipe.
 */
final class OrphanGuard {

	private static final Logger logger = LoggerFactory.getLogger(OrphanGuard.class);

	private static final String SCRIPT = String.join("\n", "pids=' '", "while read -r op pid; do",
			"  case \"$op\" in", "    add) pids=\"$pids$pid \" ;;", "    del) pids=$(printf '%s' \"$pids\" | sed \"s/ $pid / /\") ;;",
			"  esac", "done", "for pid in $pids; do", "  pkill -KILL -P \"$pid\" 2>/dev/null", "  kill -KILL \"$pid\" 2>/dev/null",
			"done", "");

	private static OutputStream pipe;

	private static long pid;

	private static boolean unavailable;

	private OrphanGuard() {
	}

	/** @param pid a plugin process to kill if this JVM dies */
	static synchronized void guard(long pid) {
		send("add " + pid);
	}

	/** @param pid a plugin process that is gone or stopped */
	static synchronized void release(long pid) {
		send("del " + pid);
	}

	/** @return the guard's pid, 0 before it is started; it is this JVM's child, but no plugin */
	static synchronized long pid() {
		return pid;
	}

	private static void send(String line) {
		if (unavailable) {
			return;
		}
		try {
			if (pipe == null) {
				Process guard = new ProcessBuilder("/bin/sh", "-c", SCRIPT).redirectOutput(ProcessBuilder.Redirect.DISCARD)
					.redirectError(ProcessBuilder.Redirect.DISCARD)
					.start();
				pipe = guard.getOutputStream();
				pid = guard.pid();
			}
			pipe.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
			pipe.flush();
		}
		catch (IOException ex) {
			unavailable = true;
			logger.warn("Cannot run the orphan guard (/bin/sh): plugins may outlive this JVM if it is killed: {}",
					ex.toString());
		}
	}

}
