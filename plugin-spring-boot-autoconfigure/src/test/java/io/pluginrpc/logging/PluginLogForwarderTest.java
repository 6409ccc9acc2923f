package io.pluginrpc.logging;

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

class PluginLogForwarderTest {

	private final ListAppender<ILoggingEvent> events = new ListAppender<>();

	private final Logger logger = (Logger) LoggerFactory.getLogger("plugin.kv");

	@BeforeEach
	void capture() {
		this.events.start();
		this.logger.addAppender(this.events);
		this.logger.setLevel(Level.TRACE);
	}

	@AfterEach
	void release() {
		this.logger.detachAppender(this.events);
		this.logger.setLevel(null);
	}

	@Test
	void logsEachLineOnThePluginsLoggerAtItsLevelWithItsFieldsInTheMdc() {
		PluginLogForwarder forwarder = new PluginLogForwarder("kv");
		forwarder.accept("{\"@level\":\"error\",\"@message\":\"cannot store\",\"@module\":\"kv.store\",\"key\":\"a\",\"n\":2}");
		forwarder.accept("plain text");
		assertThat(this.events.list).hasSize(2);
		ILoggingEvent entry = this.events.list.get(0);
		assertThat(entry.getLevel()).isEqualTo(Level.ERROR);
		assertThat(entry.getFormattedMessage()).isEqualTo("cannot store");
		assertThat(entry.getMDCPropertyMap()).containsEntry("@module", "kv.store").containsEntry("key", "a").containsEntry("n", "2");
		assertThat(this.events.list.get(1).getLevel()).isEqualTo(Level.DEBUG);
		assertThat(this.events.list.get(1).getFormattedMessage()).isEqualTo("plain text");
		assertThat(MDC.getCopyOfContextMap()).as("fields do not leak into the caller's MDC").isNullOrEmpty();
	}

	@Test
	void keepsTheLastFiftyLines() {
		PluginLogForwarder forwarder = new PluginLogForwarder("kv");
		for (int i = 0; i < 120; i++) {
			forwarder.accept("line " + i);
		}
		assertThat(forwarder.recentLines()).hasSize(PluginLogForwarder.RECENT_LINES).startsWith("line 70").endsWith("line 119");
	}

}
