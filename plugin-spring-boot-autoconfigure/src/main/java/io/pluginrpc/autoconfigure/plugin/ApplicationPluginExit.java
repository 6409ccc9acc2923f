package io.pluginrpc.autoconfigure.plugin;

import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The default {@link PluginExit}: ends the plugin the way Spring Boot ends an
 * application, {@link SpringApplication#exit}, which closes the context, asks every
 * {@link ExitCodeGenerator} bean for the status (0 unless one says otherwise, as a Go
 * plugin's {@code main} returns) and publishes an
 * {@link org.springframework.boot.ExitCodeEvent}; then the JVM exits with that status,
 * since a thread the application started could otherwise keep a plugin alive that its
 * host already let go.
 */
class ApplicationPluginExit implements PluginExit {

	private final ConfigurableApplicationContext context;

	ApplicationPluginExit(ConfigurableApplicationContext context) {
		this.context = context;
	}

	@Override
	public void exit() {
		System.exit(SpringApplication.exit(this.context));
	}

}
