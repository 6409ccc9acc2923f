package io.pluginrpc.plugin;

import java.util.Optional;

/**
 * The process that launched the plugin, as it was when the plugin started. A host can die
 * (or refuse the handshake and exit) while the plugin is still starting, and a parent
 * read only when the {@link ParentWatchdog} begins would already be the reaper that
 * adopted the orphan: the plugin's entry point records it as early as it can and passes
 * it on.
 */
public final class PluginParent {

	private final ProcessHandle handle;

	private PluginParent(ProcessHandle handle) {
		this.handle = handle;
	}

	/**
	 * @return the current process's parent, read now
	 */
	public static PluginParent ofCurrentProcess() {
		return new PluginParent(ProcessHandle.current().parent().orElse(null));
	}

	/**
	 * @param handle the parent's handle, or {@code null} when the process has none
	 * @return a recorded parent
	 */
	static PluginParent of(ProcessHandle handle) {
		return new PluginParent(handle);
	}

	/**
	 * @return the parent, empty when the process had none (or only init, pid 1) to watch
	 */
	public Optional<ProcessHandle> handle() {
		return Optional.ofNullable(this.handle).filter((parent) -> parent.pid() > 1);
	}

}
