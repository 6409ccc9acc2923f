package io.pluginrpc.host;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import io.pluginrpc.proto.plugin.GRPCStdioGrpc;
import io.pluginrpc.proto.plugin.StdioData;

import static org.assertj.core.api.Assertions.assertThat;

/** The plugin's GRPCStdio stream becomes log lines on plugin.<name>.stdout / .stderr. */
class PluginStdioForwarderTest {

	private final Logger stdout = (Logger) LoggerFactory.getLogger("plugin.stdio.stdout");

	private final Logger stderr = (Logger) LoggerFactory.getLogger("plugin.stdio.stderr");

	private final Lines lines = new Lines();

	private Server server;

	private ManagedChannel channel;

	@AfterEach
	void close() {
		this.stdout.detachAppender(this.lines);
		this.stderr.detachAppender(this.lines);
		if (this.channel != null) {
			this.channel.shutdownNow();
		}
		if (this.server != null) {
			this.server.shutdownNow();
		}
	}

	@Test
	void logsLinesSplitAcrossChunksAndWhatWasLeftWithoutNewlineWhenTheStreamEnds() throws Exception {
		follow(List.of(data(StdioData.Channel.STDOUT, "hel"), data(StdioData.Channel.STDERR, "oops\n"),
				data(StdioData.Channel.STDOUT, "lo\nwor"), data(StdioData.Channel.STDOUT, "ld")), null);
		assertThat(this.lines.await(3)).as("three lines logged").isTrue();
		assertThat(this.lines.events).containsExactlyInAnyOrder("plugin.stdio.stderr INFO oops",
				"plugin.stdio.stdout INFO hello", "plugin.stdio.stdout INFO world");
	}

	@Test
	void cutsALongLineWithAMarkerCountingEveryDroppedByte() throws Exception {
		String longLine = "é".repeat(50_000);
		follow(List.of(data(StdioData.Channel.STDOUT, longLine.substring(0, 30_000)),
				data(StdioData.Channel.STDOUT, longLine.substring(30_000) + "\nnext\n")), null);
		assertThat(this.lines.await(2)).isTrue();
		String logged = this.lines.events.get(0).substring("plugin.stdio.stdout INFO ".length());
		assertThat(logged.getBytes(StandardCharsets.UTF_8)).as("within the 64 KiB cap")
			.hasSizeLessThanOrEqualTo(64 * 1024);
		Matcher marker = Pattern.compile("(é+) …\\[truncated (\\d+) bytes]").matcher(logged);
		assertThat(marker.matches()).as(logged.substring(logged.length() - 40)).isTrue();
		assertThat(marker.group(1).length() * 2 + Long.parseLong(marker.group(2))).as("kept + dropped bytes")
			.isEqualTo(100_000);
		assertThat(this.lines.events.get(1)).isEqualTo("plugin.stdio.stdout INFO next");
	}

	@Test
	void toleratesAPluginWithoutTheStdioService() throws Exception {
		follow(List.of(data(StdioData.Channel.STDOUT, "partial")), Status.UNIMPLEMENTED);
		assertThat(this.lines.await(2)).isTrue();
		assertThat(this.lines.events).containsExactly("plugin.stdio.stdout INFO partial",
				"plugin.stdio.stdout DEBUG stdio service not available (go-plugin < 1.1 plugin)");
	}

	private void follow(List<StdioData> chunks, Status end) throws Exception {
		this.lines.start();
		for (Logger logger : List.of(this.stdout, this.stderr)) {
			logger.addAppender(this.lines);
			logger.setLevel(Level.DEBUG);
		}
		String name = InProcessServerBuilder.generateName();
		this.server = InProcessServerBuilder.forName(name).addService(new GRPCStdioGrpc.GRPCStdioImplBase() {
			@Override
			public void streamStdio(Empty request, StreamObserver<StdioData> response) {
				chunks.forEach(response::onNext);
				if (end == null) {
					response.onCompleted();
				}
				else {
					response.onError(end.asRuntimeException());
				}
			}
		}).build().start();
		this.channel = InProcessChannelBuilder.forName(name).build();
		new PluginStdioForwarder("stdio").follow(GRPCStdioGrpc.newStub(this.channel));
	}

	private static StdioData data(StdioData.Channel channel, String text) {
		return StdioData.newBuilder().setChannel(channel).setData(ByteString.copyFromUtf8(text)).build();
	}

	/** Collects events and lets the test wait for a number of them. */
	private static final class Lines extends AppenderBase<ILoggingEvent> {

		final List<String> events = new CopyOnWriteArrayList<>();

		private final Object arrived = new Object();

		@Override
		protected void append(ILoggingEvent event) {
			synchronized (this.arrived) {
				this.events.add(event.getLoggerName() + " " + event.getLevel() + " " + event.getFormattedMessage());
				this.arrived.notifyAll();
			}
		}

		/**
		 * @return whether {@code count} events arrived before a generous guard against
		 * hanging
		 */
		boolean await(int count) throws InterruptedException {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			synchronized (this.arrived) {
				while (this.events.size() < count && System.nanoTime() < deadline) {
					this.arrived.wait(1000);
				}
			}
			return this.events.size() >= count;
		}

	}

}
