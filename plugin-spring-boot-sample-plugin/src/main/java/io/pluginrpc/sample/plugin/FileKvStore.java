package io.pluginrpc.sample.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;

/**
 * Keeps each value in a file under a directory, like go-plugin's KV example writes
 * {@code kv_<key>}. Writes go to a temporary file that is synced and then atomically
 * renamed, so an acknowledged Put survives the plugin being killed. File names are the
 * hex of the key: any key is a safe name.
 */
public class FileKvStore implements KvStore {

	private final Path directory;

	public FileKvStore(Path directory) {
		this.directory = directory;
		try {
			Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create the KV directory " + directory, ex);
		}
	}

	@Override
	public byte[] get(String key) {
		try {
			return Files.readAllBytes(file(key));
		}
		catch (NoSuchFileException ex) {
			return new byte[0];
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read key '" + key + "' from " + this.directory, ex);
		}
	}

	@Override
	public void put(String key, byte[] value) {
		Path target = file(key);
		try {
			Path temp = Files.createTempFile(this.directory, ".put-", ".tmp");
			try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
				ByteBuffer buffer = ByteBuffer.wrap(value);
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
				channel.force(true);
			}
			Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write key '" + key + "' to " + this.directory, ex);
		}
	}

	private Path file(String key) {
		return this.directory.resolve("kv_" + HexFormat.of().formatHex(key.getBytes(StandardCharsets.UTF_8)));
	}

}
