package io.pluginrpc.logging;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.PrintStream;
import java.net.URL;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.status.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plugin's Logback configuration, loaded as Spring Boot loads it, and its appender on
 * fd 2.
 */
class StderrAppenderTests {

	@Test
	void pluginConfigurationLogsHclogJsonToTheRealStderrOnlyAtInfo() throws Exception {
		LoggerContext context = new LoggerContext();
		URL config = getClass().getResource("/io/pluginrpc/logging/logback-plugin.xml");
		assertThat(config).isNotNull();
		JoranConfigurator configurator = new JoranConfigurator();
		configurator.setContext(context);
		configurator.doConfigure(config);
		assertThat(context.getStatusManager().getCopyOfStatusList())
			.noneMatch((status) -> status.getLevel() >= Status.WARN);
		Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
		assertThat(root.getLevel()).isEqualTo(Level.INFO);
		Appender<?> appender = root.getAppender("HCLOG_STDERR");
		assertThat(appender).isInstanceOf(StderrAppender.class);
		assertThat(appender.isStarted()).isTrue();
		assertThat(((OutputStreamAppender<?>) appender).getEncoder()).isInstanceOf(HclogJsonEncoder.class);
		assertThat(root.iteratorForAppenders()).toIterable().hasSize(1);
		context.stop();
	}

	@Test
	void bypassesARedirectedSystemErrAndNeverClosesFd2() {
		LoggerContext context = new LoggerContext();
		StderrAppender appender = new StderrAppender();
		appender.setContext(context);
		HclogJsonEncoder encoder = new HclogJsonEncoder();
		encoder.setContext(context);
		encoder.start();
		appender.setEncoder(encoder);
		appender.start();
		Logger logger = context.getLogger("io.pluginrpc.logging.StderrAppenderTest");
		logger.setAdditive(false);
		logger.addAppender(appender);
		PrintStream original = System.err;
		ByteArrayOutputStream redirected = new ByteArrayOutputStream();
		System.setErr(new PrintStream(redirected, true));
		try {
			logger.info("this line goes to fd 2, as the host expects, not to the redirected System.err");
		}
		finally {
			System.setErr(original);
		}
		assertThat(redirected.size()).isZero();
		appender.stop();
		context.stop();
		assertThat(FileDescriptor.err.valid()).as("fd 2 still open after the appender stopped").isTrue();
	}

}
