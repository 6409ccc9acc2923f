package io.pluginrpc.sample.plugin;

/** Where the KV plugin keeps its values. */
public interface KvStore {

	/**
	 * @param key the key
	 * @return the stored value, empty when the key is unknown (as in go-plugin's example)
	 */
	byte[] get(String key);

	/**
	 * Stores a value; once this returns the value survives a plugin crash (for the file
	 * store).
	 * @param key the key
	 * @param value the value
	 */
	void put(String key, byte[] value);

}
