package io.pluginrpc.sample.plugin;

import java.nio.file.Path;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;

/** Chooses the KV store: files under {@code kv.directory} when set, memory otherwise. */
@Configuration(proxyBeanMethods = false)
class KvStoreConfiguration {

	@Bean
	KvStore kvStore(@Value("${kv.directory:}") String directory) {
		return StringUtils.hasText(directory) ? new FileKvStore(Path.of(directory)) : new InMemoryKvStore();
	}

}
