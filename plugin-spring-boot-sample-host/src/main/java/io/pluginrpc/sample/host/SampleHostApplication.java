package io.pluginrpc.sample.host;

import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The sample host: launches the sample KV plugin (see application.yml) and exposes it
 * over HTTP ({@code PUT/GET /kv/{key}}), or, started with {@code put <key> <value>} or
 * {@code get <key>}, runs that one command and exits. Values live in files (as in
 * go-plugin's KV example), so a {@code get} in a later run returns what a {@code put}
 * stored.
 */
@SpringBootApplication
public class SampleHostApplication {

	public static void main(String[] args) {
		List<String> words = KvCommandLine.commandWords(args);
		boolean command = !words.isEmpty() && KvCommandLine.COMMANDS.contains(words.get(0));
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
