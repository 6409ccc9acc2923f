package io.pluginrpc.sample.host;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The sample host: launches the sample KV plugin (see application.yml) and exposes it over HTTP
 * ({@code PUT/GET /kv/{key}}), or, started with {@code put <key> <value>} or {@code get <key>}, runs that
 * one command and exits.
 */
@SpringBootApplication
public class SampleHostApplication {

	public static void main(String[] args) {
		boolean command = args.length > 0 && KvCommandLine.COMMANDS.contains(args[0]);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleHostApplication.class)
			.web(command ? WebApplicationType.NONE : WebApplicationType.SERVLET)
			.profiles(command ? "cli" : "web")
			.run(args);
		if (command) {
			// Stops the plugin and exits with the command's status (2 for a usage error).
			System.exit(SpringApplication.exit(context));
		}
	}

}
