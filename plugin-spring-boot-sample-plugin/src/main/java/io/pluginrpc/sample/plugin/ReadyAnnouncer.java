package io.pluginrpc.sample.plugin;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Prints one line once the plugin serves. After the handshake {@code System.out} no
 * longer reaches the real stdout: the line travels to the host over
 * {@code plugin.GRPCStdio}, where a Java host logs it on {@code plugin.<name>.stdout}.
 */
@Component
class ReadyAnnouncer {

	@EventListener(ApplicationReadyEvent.class)
	void announce() {
		System.out.println("sample plugin ready");
	}

}
