package io.pluginrpc.sample.plugin;

import org.springframework.stereotype.Component;

/**
 * What the host configured through {@code proto.KVConfig}: kept in memory only, so a
 * restarted plugin starts unconfigured and the host must configure it again (the sample
 * host does so in a {@code PluginInitializer}).
 */
@Component
public class KvSettings {

	private volatile String valuePrefix = "";

	/**
	 * The prefix {@code KV.Get} puts in front of stored values; empty until configured.
	 */
	public String getValuePrefix() {
		return this.valuePrefix;
	}

	void setValuePrefix(String valuePrefix) {
		this.valuePrefix = valuePrefix;
	}

}
