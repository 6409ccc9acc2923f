package io.pluginrpc.sample.plugin;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample plugin: go-plugin's KV example and its bidirectional Counter example, both
 * served by one process (as one go-plugin binary may serve several plugin types); a host
 * uses the one it dispenses. The argument {@code counter} that go-plugin's example hosts
 * pass is accepted and changes nothing: the choice is not a Spring profile, because
 * Spring AOT (the fast-start build) fixes profiles at build time.
 */
@SpringBootApplication
public class SamplePluginApplication {

	public static void main(String[] args) {
		SpringApplication.run(SamplePluginApplication.class, args);
	}

}
