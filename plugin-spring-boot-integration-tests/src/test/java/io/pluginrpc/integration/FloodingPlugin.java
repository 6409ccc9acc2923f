package io.pluginrpc.integration;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;

import io.pluginrpc.core.handshake.HandshakeLine;
import io.pluginrpc.plugin.PluginServer;
import io.pluginrpc.plugin.PluginStdout;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.GetResponse;
import io.pluginrpc.sample.proto.KVGrpc;

/**
 * A plugin for flood tests that writes straight to its file descriptors, as a Go or
 * Python plugin would: after its handshake, {@link #STDERR_BYTES} of log lines on stderr
 * (plain text, hclog JSON, broken JSON, invalid UTF-8, and lines of 1 MiB) while
 * {@link #STDOUT_BYTES} go to stdout; then {@link #DONE} on stderr. The flood starts with
 * the first Get of key {@link #START}, so that it meets a connected host. Get answers
 * with the key. Core-only: {@code java -cp <test classpath>}.
 */
public final class FloodingPlugin {

	/** Length of a long line. */
	public static final int LONG_LINE = 1024 * 1024;

	/** Length of every other line. */
	public static final int SHORT_LINE = 1024;

	/** Long lines on stderr. */
	public static final int STDERR_LONG_LINES = 40;

	/** Short lines of each kind (plain, JSON, broken JSON, invalid UTF-8) on stderr. */
	public static final int STDERR_LINES_PER_KIND = 15 * 1024;

	/**
	 * Everything written on stderr between {@link #BEGIN} and {@link #DONE}, newlines
	 * included: 100 MiB.
	 */
	public static final long STDERR_BYTES = (long) STDERR_LONG_LINES * LONG_LINE
			+ 4L * STDERR_LINES_PER_KIND * SHORT_LINE;

	/** Long and short lines on stdout. */
	public static final int STDOUT_LONG_LINES = 10;

	public static final int STDOUT_SHORT_LINES = 10 * 1024;

	public static final long STDOUT_BYTES = (long) STDOUT_LONG_LINES * LONG_LINE
			+ (long) STDOUT_SHORT_LINES * SHORT_LINE;

	/** The key whose Get starts the flood. */
	public static final String START = "start the flood";

	private static final CountDownLatch started = new CountDownLatch(1);

	/**
	 * The first line of the flood on stderr and on stdout: what the plugin wrote before
	 * is not part of it.
	 */
	public static final String BEGIN = "flood begins";

	/** The last stderr line, after both floods. */
	public static final String DONE = "flood done";

	private FloodingPlugin() {
	}

	public static void main(String[] args) throws Exception {
		PluginStdout pluginStdout = new PluginStdout();
		pluginStdout.guard();
		PluginServer server = CoreTestPlugin.prepare();
		HandshakeLine handshake = server.start(1, List.of(new EchoKv().bindService()), () -> System.exit(0));
		pluginStdout.writeHandshake(handshake.format());
		started.await();
		OutputStream err = new BufferedOutputStream(new FileOutputStream(FileDescriptor.err), 64 * 1024);
		err.write((BEGIN + "\n").getBytes(StandardCharsets.US_ASCII));
		OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024);
		Thread stdout = new Thread(() -> floodStdout(out));
		stdout.start();
		floodStderr(err);
		stdout.join();
		err.write((DONE + "\n").getBytes(StandardCharsets.US_ASCII));
		err.flush();
		Thread.sleep(Long.MAX_VALUE);
	}

	private static void floodStderr(OutputStream err) throws IOException {
		for (int i = 0; i < STDERR_LINES_PER_KIND; i++) {
			if (i % (STDERR_LINES_PER_KIND / STDERR_LONG_LINES) == 0
					&& i / (STDERR_LINES_PER_KIND / STDERR_LONG_LINES) < STDERR_LONG_LINES) {
				err.write(line("long-" + i + " ", LONG_LINE));
			}
			err.write(line("plain-" + i + " ", SHORT_LINE));
			err.write(line("{\"@level\":\"warn\",\"@module\":\"flood\",\"@message\":\"json-" + i + " ", SHORT_LINE,
					"\"}"));
			err.write(line("{\"@level\":\"info\",\"@message\":\"broken-json-" + i + " ", SHORT_LINE));
			byte[] invalid = line("bad-utf8-" + i + " ", SHORT_LINE);
			// A lone continuation byte, a truncated two-byte sequence and bytes never
			// valid in UTF-8.
			invalid[20] = (byte) 0x80;
			invalid[21] = (byte) 0xC3;
			invalid[30] = (byte) 0xFF;
			invalid[31] = (byte) 0xFE;
			err.write(invalid);
		}
		err.flush();
	}

	private static void floodStdout(OutputStream out) {
		try {
			out.write((BEGIN + "\n").getBytes(StandardCharsets.US_ASCII));
			for (int i = 0; i < STDOUT_SHORT_LINES; i++) {
				if (i % (STDOUT_SHORT_LINES / STDOUT_LONG_LINES) == 0) {
					out.write(line("stdout-long-" + i + " ", LONG_LINE));
				}
				out.write(line("stdout-" + i + " ", SHORT_LINE));
			}
			out.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * @return {@code start}, padding, then {@code end} and a newline: {@code length}
	 * bytes in all
	 */
	static byte[] line(String start, int length, String end) {
		byte[] line = new byte[length];
		Arrays.fill(line, (byte) 'x');
		byte[] head = start.getBytes(StandardCharsets.US_ASCII);
		byte[] tail = (end + "\n").getBytes(StandardCharsets.US_ASCII);
		System.arraycopy(head, 0, line, 0, head.length);
		System.arraycopy(tail, 0, line, length - tail.length, tail.length);
		return line;
	}

	static byte[] line(String start, int length) {
		return line(start, length, "");
	}

	/** Get answers with the key. */
	static final class EchoKv extends KVGrpc.KVImplBase {

		@Override
		public void get(GetRequest request, StreamObserver<GetResponse> responseObserver) {
			if (request.getKey().equals(START)) {
				started.countDown();
			}
			responseObserver
				.onNext(GetResponse.newBuilder().setValue(ByteString.copyFromUtf8(request.getKey())).build());
			responseObserver.onCompleted();
		}

	}

}
