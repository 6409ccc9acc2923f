package io.pluginrpc.sample.plugin;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Keeps values in memory; they are gone when the plugin stops. */
public class InMemoryKvStore implements KvStore {

	private final Map<String, byte[]> values = new ConcurrentHashMap<>();

	@Override
	public byte[] get(String key) {
		return this.values.getOrDefault(key, new byte[0]);
	}

	@Override
	public void put(String key, byte[] value) {
		this.values.put(key, value.clone());
	}

}
