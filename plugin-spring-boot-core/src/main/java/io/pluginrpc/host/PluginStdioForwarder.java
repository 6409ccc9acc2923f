package io.pluginrpc.host;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pluginrpc.logging.LineReader;
import io.pluginrpc.proto.plugin.GRPCStdioGrpc;
import io.pluginrpc.proto.plugin.StdioData;

/**
 * Reads the plugin's {@code plugin.GRPCStdio} stream (what it printed to its redirected
 * stdout/stderr) and logs it line by line on {@code plugin.<name>.stdout} /
 * {@code plugin.<name>.stderr}. Always read, so Go plugins never block on a full stdio
 * pipe; go-plugin 1.0.1 plugins have no such service, which is fine.
 */
final class PluginStdioForwarder {

	private final Logger stdout;

	private final Logger stderr;

	private final Line outLine = new Line();

	private final Line errLine = new Line();

	PluginStdioForwarder(String pluginName) {
		this.stdout = LoggerFactory.getLogger("plugin." + pluginName + ".stdout");
		this.stderr = LoggerFactory.getLogger("plugin." + pluginName + ".stderr");
	}

	void follow(GRPCStdioGrpc.GRPCStdioStub stub) {
		stub.streamStdio(Empty.getDefaultInstance(), new StreamObserver<>() {
			@Override
			public void onNext(StdioData data) {
				boolean err = data.getChannel() == StdioData.Channel.STDERR;
				(err ? PluginStdioForwarder.this.errLine : PluginStdioForwarder.this.outLine)
					.collect(err ? PluginStdioForwarder.this.stderr : PluginStdioForwarder.this.stdout, data.getData());
			}

			@Override
			public void onError(Throwable error) {
				flushPartialLines();
				Status.Code code = Status.fromThrowable(error).getCode();
				if (code == Status.Code.UNIMPLEMENTED) {
					PluginStdioForwarder.this.stdout.debug("stdio service not available (go-plugin < 1.1 plugin)");
				}
			}

			@Override
			public void onCompleted() {
				flushPartialLines();
			}
		});
	}

	/**
	 * What the plugin printed last without a newline is logged too when the stream ends.
	 */
	private void flushPartialLines() {
		this.outLine.flush(this.stdout);
		this.errLine.flush(this.stderr);
	}

	/**
	 * One channel's current line, cut like a stderr line: at most
	 * {@link LineReader#DEFAULT_MAX_LINE} bytes, the marker {@code  …[truncated N bytes]}
	 * included, never cut silently.
	 */
	private static final class Line {

		private static final int KEPT = LineReader.DEFAULT_MAX_LINE - LineReader.MARKER_ROOM;

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		private long dropped;

		synchronized void collect(Logger logger, ByteString data) {
			for (int i = 0; i < data.size(); i++) {
				byte b = data.byteAt(i);
				if (b == '\n') {
					log(logger);
				}
				else if (this.bytes.size() < KEPT) {
					this.bytes.write(b);
				}
				else {
					this.dropped++;
				}
			}
		}

		synchronized void flush(Logger logger) {
			if (this.bytes.size() > 0 || this.dropped > 0) {
				log(logger);
			}
		}

		private void log(Logger logger) {
			byte[] line = this.bytes.toByteArray();
			int end = line.length;
			if (this.dropped > 0) {
				// Cut before a character split by the cap (at most three continuation
				// bytes 10xxxxxx).
				for (int i = 0; i < 3 && end > 0 && (line[end - 1] & 0xC0) == 0x80; i++) {
					end--;
				}
				if (end > 0 && (line[end - 1] & 0xC0) == 0xC0) {
					end--;
				}
			}
			String text = new String(line, 0, end, StandardCharsets.UTF_8);
			logger.info((this.dropped > 0) ? text + LineReader.marker(this.dropped + line.length - end) : text);
			this.bytes.reset();
			this.dropped = 0;
		}

	}

}
