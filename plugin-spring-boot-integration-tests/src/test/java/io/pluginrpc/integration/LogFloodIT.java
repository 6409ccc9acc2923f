package io.pluginrpc.integration;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginClientConfig;
import io.pluginrpc.host.PluginEventListener;
import io.pluginrpc.host.RestartPolicy;
import io.pluginrpc.logging.PluginLogLevel;
import io.pluginrpc.reliability.ReliabilityRecord;
import io.pluginrpc.sample.proto.GetRequest;
import io.pluginrpc.sample.proto.KVGrpc;
import io.pluginrpc.testing.Processes;
import io.pluginrpc.testing.TestHost;

import static io.pluginrpc.integration.FloodingPlugin.LONG_LINE;
import static io.pluginrpc.integration.FloodingPlugin.SHORT_LINE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plugin floods the host ({@link FloodingPlugin}: 100 MiB on stderr in lines of 1 KiB
 * and 1 MiB, hclog JSON, broken JSON and invalid UTF-8, while 20 MiB go to stdout): calls
 * keep succeeding meanwhile, the heap does not grow with the flood, every line arrives
 * (long ones cut to 64 KiB with a marker counting the bytes cut), and nothing is lost on
 * the way.
 */
class LogFloodIT {

	/**
	 * Heap growth allowed across the flood, measured after GC: the flood is 120 MiB, the
	 * caps 64 KiB.
	 */
	private static final long HEAP_TOLERANCE = 32L * 1024 * 1024;

	private static final long STDERR_LINES = FloodingPlugin.STDERR_LONG_LINES
			+ 4L * FloodingPlugin.STDERR_LINES_PER_KIND;

	private static final long STDOUT_LINES = FloodingPlugin.STDOUT_LONG_LINES + FloodingPlugin.STDOUT_SHORT_LINES;

	@Test
	void aFloodingPluginLosesNoLineAndTheHostStaysResponsive() throws Exception {
		Logger pluginLogger = (Logger) LoggerFactory.getLogger("plugin.flood");
		Logger stdoutLogger = (Logger) LoggerFactory.getLogger("plugin.flood.stdout");
		AtomicLong forwarded = new AtomicLong();
		Counter lines = new Counter(forwarded);
		lines.start();
		pluginLogger.addAppender(lines);
		// Counted, not printed: 120 MiB would swamp the test output.
		pluginLogger.setAdditive(false);
		pluginLogger.setLevel(Level.TRACE);
		stdoutLogger.setLevel(Level.DEBUG);
		PluginEventListener events = new PluginEventListener() {
			@Override
			public void logLine(String plugin, PluginLogLevel level) {
				forwarded.incrementAndGet();
			}
		};
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		PluginClient client = new PluginClient(
				new PluginClientConfig("flood",
						List.of(java, "-cp", System.getProperty("java.class.path"), FloodingPlugin.class.getName()),
						null, Map.of(), "BASIC_PLUGIN", "hello", Set.of(1), true, null, null, Processes.HANG_GUARD,
						Duration.ofSeconds(5), 10000, 25000, false, null, null),
				TestHost.SHARED, RestartPolicy.NEVER, events, List.of());
		long heapBefore = heapAfterGc();
		client.start();
		long pid = client.getPid();
		try {
			KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(client.channel());
			kv.withDeadlineAfter(10, TimeUnit.SECONDS)
				.get(GetRequest.newBuilder().setKey(FloodingPlugin.START).build());
			long calls = 0;
			long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
			while (lines.done.getCount() > 0 && System.nanoTime() < deadline) {
				String key = "during-" + calls;
				assertThat(kv.withDeadlineAfter(10, TimeUnit.SECONDS)
					.get(GetRequest.newBuilder().setKey(key).build())
					.getValue()
					.toStringUtf8()).isEqualTo(key);
				calls++;
			}
			assertThat(lines.done.getCount()).as("the flood's last line arrived within 5 minutes").isZero();
			lines.awaitStdout(STDOUT_LINES);
			long heapAfter = heapAfterGc();

			System.out.println("Lines before the flood: " + lines.before);
			assertThat(calls).as("calls answered during the flood").isPositive();
			assertThat(lines.stderr.get()).as("stderr lines of the flood logged").isEqualTo(STDERR_LINES);
			assertThat(lines.forwardedDuringFlood)
				.as("stderr lines of the flood counted by level, the last one included")
				.isEqualTo(STDERR_LINES + 1);
			assertThat(lines.stdout.get()).as("stdout lines after the handshake, at DEBUG").isEqualTo(STDOUT_LINES);
			assertThat(lines.plain.get()).as("plain lines, intact").isEqualTo(FloodingPlugin.STDERR_LINES_PER_KIND);
			assertThat(lines.json.get()).as("hclog JSON lines, their message")
				.isEqualTo(FloodingPlugin.STDERR_LINES_PER_KIND);
			assertThat(lines.brokenJson.get()).as("broken JSON lines, as text")
				.isEqualTo(FloodingPlugin.STDERR_LINES_PER_KIND);
			assertThat(lines.invalidUtf8.get()).as("invalid UTF-8 lines, with U+FFFD")
				.isEqualTo(FloodingPlugin.STDERR_LINES_PER_KIND);
			assertThat(lines.cut.get()).as("1 MiB lines cut, with a marker counting every byte cut")
				.isEqualTo(FloodingPlugin.STDERR_LONG_LINES + FloodingPlugin.STDOUT_LONG_LINES);
			assertThat(lines.longest.get()).as("longest line logged, in UTF-8 bytes").isLessThanOrEqualTo(64 * 1024);
			assertThat(lines.unexpected).as("lines that match no kind written").isZero();
			assertThat(heapAfter).as("heap after GC, before the flood %d KiB", heapBefore / 1024)
				.isLessThan(heapBefore + HEAP_TOLERANCE);

			ReliabilityRecord
				.put(LogFloodIT.class, "flood.parameter.about", "100 MiB on stderr (1 KiB and 1 MiB lines, "
						+ "hclog JSON, broken JSON, invalid UTF-8) and 20 MiB on stdout from one plugin, with calls made throughout");
			// What the plugin writes is the test's setting (FloodingPlugin's constants),
			// not a measurement.
			ReliabilityRecord.put(LogFloodIT.class, "flood.parameter.stderrBytesWritten", FloodingPlugin.STDERR_BYTES);
			ReliabilityRecord.put(LogFloodIT.class, "flood.parameter.stderrLinesWritten", STDERR_LINES);
			ReliabilityRecord.put(LogFloodIT.class, "flood.parameter.stdoutBytesWritten", FloodingPlugin.STDOUT_BYTES);
			ReliabilityRecord.put(LogFloodIT.class, "flood.parameter.stdoutLinesWritten", STDOUT_LINES);
			ReliabilityRecord.put(LogFloodIT.class, "flood.stderr.linesForwarded", lines.stderr.get());
			ReliabilityRecord.put(LogFloodIT.class, "flood.stdout.linesForwarded", lines.stdout.get());
			ReliabilityRecord.put(LogFloodIT.class, "flood.linesCutWithMarker", lines.cut.get());
			ReliabilityRecord.put(LogFloodIT.class, "flood.calls.ok", calls);
			ReliabilityRecord.put(LogFloodIT.class, "flood.heapGrowthAfterGcKiB", (heapAfter - heapBefore) / 1024);
			ReliabilityRecord.put(LogFloodIT.class, "flood.lost",
					STDERR_LINES - lines.stderr.get() + STDOUT_LINES - lines.stdout.get());
		}
		finally {
			client.stop();
			pluginLogger.detachAppender(lines);
			pluginLogger.setAdditive(true);
			pluginLogger.setLevel(null);
			stdoutLogger.setLevel(null);
		}
		Processes.awaitGone(pid, "the flooding plugin after stop");
	}

	private static long heapAfterGc() throws InterruptedException {
		for (int i = 0; i < 3; i++) {
			System.gc();
			Thread.sleep(100);
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	/** Counts the plugin's lines by kind, keeping none of them. */
	private static final class Counter extends AppenderBase<ILoggingEvent> {

		private static final Pattern CUT = Pattern.compile("(\\S+ x*) …\\[truncated (\\d+) bytes]");

		final CountDownLatch done = new CountDownLatch(1);

		private final AtomicLong forwarded;

		private long forwardedAtBegin;

		private boolean inFlood;

		private boolean inStdoutFlood;

		/**
		 * Lines outside the flood (what the plugin wrote before it), for the failure
		 * messages.
		 */
		final List<String> before = new CopyOnWriteArrayList<>();

		volatile long forwardedDuringFlood;

		final AtomicLong stderr = new AtomicLong();

		final AtomicLong stdout = new AtomicLong();

		final AtomicLong plain = new AtomicLong();

		final AtomicLong json = new AtomicLong();

		final AtomicLong brokenJson = new AtomicLong();

		final AtomicLong invalidUtf8 = new AtomicLong();

		final AtomicLong cut = new AtomicLong();

		final AtomicLong longest = new AtomicLong();

		volatile long unexpected;

		Counter(AtomicLong forwarded) {
			this.forwarded = forwarded;
		}

		@Override
		protected synchronized void append(ILoggingEvent event) {
			String line = event.getFormattedMessage();
			boolean isStdout = event.getLoggerName().endsWith(".stdout");
			if (isStdout ? !countStdout(line) : !countStderr(line)) {
				return;
			}
			(isStdout ? this.stdout : this.stderr).incrementAndGet();
			this.longest.accumulateAndGet(line.getBytes(StandardCharsets.UTF_8).length, Math::max);
			Matcher marker = CUT.matcher(line);
			if (line.startsWith("long-") || line.startsWith("stdout-long-")) {
				// Kept and cut bytes add up to the line written, less its newline.
				if (marker.matches() && marker.group(1).length() + Long.parseLong(marker.group(2)) == LONG_LINE - 1) {
					this.cut.incrementAndGet();
				}
				else {
					this.unexpected++;
				}
			}
			else if (isStdout) {
				countIf(line.startsWith("stdout-") && line.length() == SHORT_LINE - 1, null);
			}
			else if (line.startsWith("plain-")) {
				countIf(line.length() == SHORT_LINE - 1, this.plain);
			}
			else if (line.startsWith("json-")) {
				countIf(line.endsWith("x"), this.json);
			}
			else if (line.startsWith("{\"@level\":\"info\",\"@message\":\"broken-json-")) {
				countIf(line.length() == SHORT_LINE - 1, this.brokenJson);
			}
			else if (line.startsWith("bad-utf8-")) {
				countIf(line.contains("\uFFFD"), this.invalidUtf8);
			}
			else {
				this.unexpected++;
			}
			notifyAll();
		}

		/**
		 * Lines are counted by level before they are logged, on the same thread: the
		 * count at {@link FloodingPlugin#BEGIN} and at {@link FloodingPlugin#DONE}
		 * brackets the flood exactly.
		 * @return whether the line belongs to the flood
		 */
		private boolean countStderr(String line) {
			if (line.equals(FloodingPlugin.BEGIN)) {
				this.inFlood = true;
				this.forwardedAtBegin = this.forwarded.get();
				return false;
			}
			if (line.equals(FloodingPlugin.DONE) && this.inFlood) {
				this.inFlood = false;
				this.forwardedDuringFlood = this.forwarded.get() - this.forwardedAtBegin;
				this.done.countDown();
				return false;
			}
			if (!this.inFlood) {
				this.before.add("stderr: " + line);
			}
			return this.inFlood;
		}

		private boolean countStdout(String line) {
			if (line.startsWith("stdio service not available")) {
				// The host's own note on this logger: the plugin has no GRPCStdio
				// service.
				return false;
			}
			if (line.equals(FloodingPlugin.BEGIN)) {
				this.inStdoutFlood = true;
				return false;
			}
			if (!this.inStdoutFlood) {
				this.before.add("stdout: " + line);
			}
			return this.inStdoutFlood;
		}

		private void countIf(boolean expected, AtomicLong counter) {
			if (!expected) {
				this.unexpected++;
			}
			else if (counter != null) {
				counter.incrementAndGet();
			}
		}

		synchronized void awaitStdout(long count) throws InterruptedException {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
			while (this.stdout.get() < count && System.nanoTime() < deadline) {
				wait(1000);
			}
		}

	}

}
