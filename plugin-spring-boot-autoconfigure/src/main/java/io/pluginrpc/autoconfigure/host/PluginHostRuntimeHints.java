package io.pluginrpc.autoconfigure.host;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;

/**
 * What {@link PluginClientFactory} binds when a plugin's bean is created, rather than
 * when the bean definitions are registered: {@code plugins.<name>.*} into
 * {@link PluginProperties} (native images need the binding hints; the JVM does not, but
 * they cost nothing there).
 */
class PluginHostRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
		BindableRuntimeHintsRegistrar.forTypes(PluginsProperties.class, PluginProperties.class)
			.registerHints(hints, classLoader);
	}

}
