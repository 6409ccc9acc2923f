package io.pluginrpc.sample.plugin;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class FileKvStoreTest {

	@TempDir
	Path dir;

	@Test
	void keepsValuesAcrossInstancesWithAnyKey() {
		new FileKvStore(this.dir).put("a/../b c", "v1".getBytes());
		new FileKvStore(this.dir).put("empty", new byte[0]);
		FileKvStore reopened = new FileKvStore(this.dir);
		assertThat(reopened.get("a/../b c")).isEqualTo("v1".getBytes());
		assertThat(reopened.get("empty")).isEmpty();
		assertThat(reopened.get("missing")).isEmpty();
	}

	@Test
	void replacesAtomicallyAndLeavesNoTemporaryFiles() throws Exception {
		FileKvStore store = new FileKvStore(this.dir);
		store.put("k", "first".getBytes());
		store.put("k", "second".getBytes());
		assertThat(store.get("k")).isEqualTo("second".getBytes());
		try (var files = Files.list(this.dir)) {
			assertThat(files.map((f) -> f.getFileName().toString())).containsExactly("kv_6b");
		}
	}

}
