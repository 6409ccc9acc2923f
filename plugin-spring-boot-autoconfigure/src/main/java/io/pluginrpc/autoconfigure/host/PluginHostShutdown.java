package io.pluginrpc.autoconfigure.host;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.SpringApplication;

import io.pluginrpc.host.PluginHost;

/**
 * Closes the application's {@link PluginHost}: with the context, and among Spring Boot's
 * shutdown handlers, which run after every context has closed (its plugins stopped
 * gracefully by then), so the host needs no JVM shutdown hook of its own that would race
 * Spring's.
 */
class PluginHostShutdown implements DisposableBean {

	private final PluginHost host;

	private final Runnable handler;

	PluginHostShutdown(PluginHost host) {
		this.host = host;
		this.handler = host::close;
		SpringApplication.getShutdownHandlers().add(this.handler);
	}

	@Override
	public void destroy() {
		this.host.close();
		try {
			SpringApplication.getShutdownHandlers().remove(this.handler);
		}
		catch (IllegalStateException ex) {
			// The context is being closed by Spring Boot's shutdown hook (SIGTERM), which
			// refuses changes to its
			// handlers meanwhile; it runs this one (a no-op now: the host is closed)
			// after the contexts close.
		}
	}

}
