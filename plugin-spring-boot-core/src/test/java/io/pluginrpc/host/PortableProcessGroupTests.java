package io.pluginrpc.host;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.pluginrpc.core.Platform;

import static org.assertj.core.api.Assertions.assertThat;

/** The portable mode turns off what only Linux has: setsid, /proc. */
class PortableProcessGroupTests {

	@AfterEach
	void cleanUp() {
		System.clearProperty(Platform.PORTABLE_PROPERTY);
	}

	@Test
	void portableModeLaunchesPluginsInTheHostsGroupAndReadsNoProc() {
		long ownGroup = ProcessHandle.current().pid();
		System.setProperty(Platform.PORTABLE_PROPERTY, "true");
		assertThat(Platform.hasProcFilesystem()).isFalse();
		assertThat(ProcessGroup.available()).isFalse();
		assertThat(ProcessGroup.inNewSession("p", List.of("/bin/sh", "-c", "exit 0"), null)).isNull();
		assertThat(ProcessGroup.members(ownGroup)).isEmpty();
	}

	@Test
	void theSurefireForkHasNoTerminalOnStdin() {
		// What keeps the group kill on in CI: a host whose stdin is a terminal launches
		// without setsid.
		assertThat(ProcessGroup.stdinIsTerminal()).isFalse();
	}

}
