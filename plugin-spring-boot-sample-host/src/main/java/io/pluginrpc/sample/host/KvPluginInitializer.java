package io.pluginrpc.sample.host;

import java.util.concurrent.TimeUnit;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.pluginrpc.host.PluginClient;
import io.pluginrpc.host.PluginInitializer;
import io.pluginrpc.sample.proto.ConfigureRequest;
import io.pluginrpc.sample.proto.KVConfigGrpc;

/**
 * Configures the KV plugin after every start and restart: the plugin keeps its value
 * prefix in memory only, so a plugin restarted after a crash has forgotten it. The
 * supervisor runs this before the plugin counts as RUNNING, so no caller ever sees the
 * plugin unconfigured.
 */
@Component
class KvPluginInitializer implements PluginInitializer {

	private final String valuePrefix;

	KvPluginInitializer(@Value("${kv.value-prefix:}") String valuePrefix) {
		this.valuePrefix = valuePrefix;
	}

	@Override
	public void initialize(PluginClient client) {
		if (!client.getName().equals("kv")) {
			return;
		}
		try {
			// A stub on the client's channel reaches the new process even while other
			// callers still wait.
			KVConfigGrpc.newBlockingStub(client.channel())
				.withDeadlineAfter(10, TimeUnit.SECONDS)
				.configure(ConfigureRequest.newBuilder().setValuePrefix(this.valuePrefix).build());
		}
		catch (StatusRuntimeException ex) {
			// go-plugin's own KV example plugins (Go, Python) have no KVConfig and no
			// state to set: fine
			// unless a prefix was asked for, which such a plugin cannot honour.
			if (ex.getStatus().getCode() != Status.Code.UNIMPLEMENTED || !this.valuePrefix.isEmpty()) {
				throw ex;
			}
		}
	}

}
