package io.pluginrpc.logging;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Forwarding plugin stderr to {@code plugin.<name>} with fields in the MDC, caps and
 * recent lines.
 */
class PluginLogForwarderTest {

	private final ListAppender<ILoggingEvent> events = new ListAppender<>();

	private final Logger logger = (Logger) LoggerFactory.getLogger("plugin.x");

	@BeforeEach
	void capture() {
		this.events.start();
		this.logger.addAppender(this.events);
		this.logger.setLevel(Level.TRACE);
		MDC.clear();
	}

	@AfterEach
	void release() {
		this.logger.detachAppender(this.events);
		this.logger.setLevel(null);
		MDC.clear();
	}

	@Test
	void logsEachLineOnThePluginsLoggerAtItsLevelWithItsFieldsInTheMdc() {
		PluginLogForwarder forwarder = new PluginLogForwarder("x");
		assertThat(forwarder.loggerName()).isEqualTo("plugin.x");
		forwarder.accept("{\"@level\":\"error\",\"@message\":\"cannot store {}\",\"@module\":\"kv.store\","
				+ "\"@timestamp\":\"2026-11-23T06:50:01.123456Z\",\"key\":\"a\",\"n\":2,\"ok\":true,\"none\":null,"
				+ "\"tags\":[\"p\",1],\"sub\":{\"q\":\"r\"}}");
		forwarder.accept("plain text");
		forwarder.accept("[WARN] prefixed");
		assertThat(this.events.list).hasSize(3);
		ILoggingEvent entry = this.events.list.get(0);
		assertThat(entry.getLevel()).isEqualTo(Level.ERROR);
		assertThat(entry.getFormattedMessage()).as("no SLF4J formatting of plugin text").isEqualTo("cannot store {}");
		assertThat(entry.getMDCPropertyMap()).containsEntry("@module", "kv.store")
			.containsEntry("key", "a")
			.containsEntry("n", "2")
			.containsEntry("ok", "true")
			.containsEntry("none", "null")
			.containsEntry("tags", "[\"p\",1]")
			.containsEntry("sub", "{\"q\":\"r\"}")
			.doesNotContainKeys("@message", "@level", "@timestamp");
		assertThat(this.events.list.get(1).getLevel()).isEqualTo(Level.DEBUG);
		assertThat(this.events.list.get(1).getFormattedMessage()).isEqualTo("plain text");
		assertThat(this.events.list.get(1).getMDCPropertyMap()).isEmpty();
		assertThat(this.events.list.get(2).getLevel()).isEqualTo(Level.WARN);
		assertThat(this.events.list.get(2).getFormattedMessage()).isEqualTo("[WARN] prefixed");
		assertThat(MDC.getCopyOfContextMap()).as("fields do not leak into the caller's MDC").isNullOrEmpty();
	}

	@Test
	void restoresTheCallersOwnMdcEntries() {
		MDC.put("key", "the caller's");
		MDC.put("other", "kept");
		new PluginLogForwarder("x").accept("{\"@level\":\"info\",\"@message\":\"m\",\"key\":\"the plugin's\"}");
		assertThat(this.events.list.get(0).getMDCPropertyMap()).containsEntry("key", "the plugin's")
			.containsEntry("other", "kept");
		assertThat(MDC.getCopyOfContextMap()).containsOnly(java.util.Map.entry("key", "the caller's"),
				java.util.Map.entry("other", "kept"));
	}

	@Test
	void skipsDisabledLevelsButCountsAndRemembersThem() {
		this.logger.setLevel(Level.INFO);
		List<PluginLogLevel> counted = new ArrayList<>();
		PluginLogForwarder forwarder = new PluginLogForwarder("x", counted::add);
		forwarder.accept("{\"@level\":\"debug\",\"@message\":\"hidden\",\"k\":\"v\"}");
		forwarder.accept("plain debug");
		forwarder.accept("{\"@level\":\"info\",\"@message\":\"shown\"}");
		assertThat(this.events.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("shown");
		assertThat(counted).containsExactly(PluginLogLevel.DEBUG, PluginLogLevel.DEBUG, PluginLogLevel.INFO);
		assertThat(forwarder.recentLines()).hasSize(3);
	}

	@Test
	void keepsLoggingWhenTheCounterThrows() {
		PluginLogForwarder forwarder = new PluginLogForwarder("x", (level) -> {
			throw new IllegalStateException("metrics down");
		});
		forwarder.accept("[ERROR] still logged");
		assertThat(this.events.list).hasSize(1);
	}

	@Test
	void logsAGoPanicAndItsDumpAsErrorsUntilANewProcess() {
		PluginLogForwarder forwarder = new PluginLogForwarder("x");
		forwarder.accept("panic: boom");
		forwarder.accept("");
		forwarder.accept("goroutine 1 [running]:");
		forwarder.newProcess();
		forwarder.accept("starting again");
		assertThat(this.events.list).extracting(ILoggingEvent::getLevel)
			.containsExactly(Level.ERROR, Level.ERROR, Level.ERROR, Level.DEBUG);
	}

	@Test
	void keepsTheLastFiftyLinesByDefault() {
		PluginLogForwarder forwarder = new PluginLogForwarder("x");
		assertThat(forwarder.recentLines()).isEmpty();
		for (int i = 0; i < 120; i++) {
			forwarder.accept("line " + i);
		}
		assertThat(forwarder.recentLines()).hasSize(PluginLogForwarder.RECENT_LINES)
			.startsWith("line 70")
			.endsWith("line 119");
	}

	@Test
	void keepsAsManyRecentLinesAsConfigured() {
		PluginLogForwarder three = new PluginLogForwarder("x", null, 3, 1000);
		three.accept("a");
		three.accept("b");
		assertThat(three.recentLines()).containsExactly("a", "b");
		three.accept("c");
		three.accept("d");
		assertThat(three.recentLines()).containsExactly("b", "c", "d");
		PluginLogForwarder none = new PluginLogForwarder("x", null, 0, 1000);
		none.accept("a");
		assertThat(none.recentLines()).isEmpty();
		assertThat(this.events.list).hasSize(5);
		assertThatIllegalArgumentException().isThrownBy(() -> new PluginLogForwarder("x", null, -1, 1000));
		assertThatIllegalArgumentException().isThrownBy(() -> new PluginLogForwarder("x", null, 3, 10));
	}

	@Test
	void cutsLinesOverTheCapWithAMarkerInTheLogAndTheRecentLines() {
		PluginLogForwarder forwarder = new PluginLogForwarder("x", null, 5, 200);
		forwarder.accept("z".repeat(1000));
		String cut = "z".repeat(152) + " …[truncated 848 bytes]";
		assertThat(forwarder.recentLines()).containsExactly(cut);
		assertThat(this.events.list.get(0).getFormattedMessage()).isEqualTo(cut);
		forwarder.accept("{\"@level\":\"info\",\"@message\":\"" + "j".repeat(1000) + "\"}");
		assertThat(this.events.list.get(1).getLevel()).as("a cut JSON line is no longer JSON").isEqualTo(Level.DEBUG);
		assertThat(this.events.list.get(1).getFormattedMessage()).endsWith(" bytes]");
	}

	@Test
	void staysConsistentUnderConcurrentWritersAndReaders() throws Exception {
		this.logger.setLevel(Level.OFF);
		PluginLogForwarder forwarder = new PluginLogForwarder("x");
		ExecutorService pool = Executors.newFixedThreadPool(4);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> tasks = new ArrayList<>();
		List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
		try {
			for (int t = 0; t < 3; t++) {
				int thread = t;
				tasks.add(pool.submit(() -> {
					start.await();
					for (int i = 0; i < 5000; i++) {
						forwarder.accept(thread + ":" + i);
					}
					return null;
				}));
			}
			tasks.add(pool.submit(() -> {
				start.await();
				for (int i = 0; i < 2000; i++) {
					sizes.add(forwarder.recentLines().size());
				}
				return null;
			}));
			start.countDown();
			for (Future<?> task : tasks) {
				task.get();
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(sizes).allMatch((size) -> size <= PluginLogForwarder.RECENT_LINES);
		assertThat(forwarder.recentLines()).hasSize(PluginLogForwarder.RECENT_LINES).doesNotContainNull();
	}

}
