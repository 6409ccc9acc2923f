package io.pluginrpc.host;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pluginrpc.proto.plugin.GRPCStdioGrpc;
import io.pluginrpc.proto.plugin.StdioData;

/**
 * Reads the plugin's {@code plugin.GRPCStdio} stream (what it printed to its redirected stdout/stderr)
 * and logs it line by line on {@code plugin.<name>.stdout} / {@code plugin.<name>.stderr}. Always read,
 * so Go plugins never block on a full stdio pipe; go-plugin 1.0.1 plugins have no such service, which
 * is fine.
 */
final class PluginStdioForwarder {

	private final Logger stdout;

	private final Logger stderr;

	private final ByteArrayOutputStream outLine = new ByteArrayOutputStream();

	private final ByteArrayOutputStream errLine = new ByteArrayOutputStream();

	PluginStdioForwarder(String pluginName) {
		this.stdout = LoggerFactory.getLogger("plugin." + pluginName + ".stdout");
		this.stderr = LoggerFactory.getLogger("plugin." + pluginName + ".stderr");
	}

	void follow(GRPCStdioGrpc.GRPCStdioStub stub) {
		stub.streamStdio(Empty.getDefaultInstance(), new StreamObserver<>() {
			@Override
			public void onNext(StdioData data) {
				boolean err = data.getChannel() == StdioData.Channel.STDERR;
				collect(err ? PluginStdioForwarder.this.errLine : PluginStdioForwarder.this.outLine,
						err ? PluginStdioForwarder.this.stderr : PluginStdioForwarder.this.stdout, data.getData().toByteArray());
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

	/** What the plugin printed last without a newline is logged too when the stream ends. */
	private void flushPartialLines() {
		flush(this.outLine, this.stdout);
		flush(this.errLine, this.stderr);
	}

	private static void flush(ByteArrayOutputStream line, Logger logger) {
		synchronized (line) {
			if (line.size() > 0) {
				logger.info(line.toString(StandardCharsets.UTF_8));
				line.reset();
			}
		}
	}

	private static void collect(ByteArrayOutputStream line, Logger logger, byte[] bytes) {
		synchronized (line) {
			for (byte b : bytes) {
				if (b == '\n') {
					logger.info(line.toString(StandardCharsets.UTF_8));
					line.reset();
				}
				else if (line.size() < 64 * 1024) {
					line.write(b);
				}
			}
		}
	}

}
