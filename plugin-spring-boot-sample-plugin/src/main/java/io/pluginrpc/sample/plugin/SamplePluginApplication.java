package io.pluginrpc.sample.plugin;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample plugin: go-plugin's KV example, or with the single argument {@code counter} its
 * bidirectional Counter example, served from one jar.
 */
@SpringBootApplication
public class SamplePluginApplication {

	/** Profile that serves the Counter plugin instead of KV. */
	public static final String COUNTER = "counter";

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(SamplePluginApplication.class);
		if (args.length > 0 && COUNTER.equals(args[0])) {
			application.setAdditionalProfiles(COUNTER);
		}
		application.run(args);
	}

}
