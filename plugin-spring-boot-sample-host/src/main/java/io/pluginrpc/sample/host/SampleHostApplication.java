package io.pluginrpc.sample.host;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The sample host: launches the sample KV plugin (see application.yml) and exposes it over HTTP
 * ({@code PUT/GET /kv/{key}}), or, started with {@code put <key> <value>} or {@code get <key>}, runs that
 * one command and exits.
 */
@SpringBootApplication
public class SampleHostApplication {

	public static void main(String[] args) {
		boolean command = args.length > 0 && KvCommandLine.COMMANDS.contains(args[0]);
		new SpringApplicationBuilder(SampleHostApplication.class)
			.web(command ? WebApplicationType.NONE : WebApplicationType.SERVLET)
			.profiles(command ? "cli" : "web")
			.run(args);
	}

}
