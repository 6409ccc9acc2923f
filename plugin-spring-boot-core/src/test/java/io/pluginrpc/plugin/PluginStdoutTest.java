package io.pluginrpc.plugin;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Only the handshake line reaches the plugin's stdout; what is printed before goes to
 * stderr.
 */
class PluginStdoutTest {

	private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

	private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

	private PrintStream systemOut;

	@BeforeEach
	void keepSystemOut() {
		this.systemOut = System.out;
	}

	@AfterEach
	void restoreSystemOut() {
		System.setOut(this.systemOut);
	}

	@Test
	void guardSendsSystemOutToStderrAndTheHandshakeToStdout() {
		PluginStdout guard = new PluginStdout(this.stdout, this.stderr);
		guard.guard();
		System.out.println("a library's banner");
		guard.writeHandshake("1|1|unix|/tmp/plugin.sock|grpc|\n");
		assertThat(this.stdout.toString(StandardCharsets.US_ASCII)).isEqualTo("1|1|unix|/tmp/plugin.sock|grpc|\n");
		assertThat(this.stderr.toString(StandardCharsets.UTF_8))
			.isEqualTo("a library's banner" + System.lineSeparator());
		assertThat(guard.handshakeWritten()).isTrue();
	}

	@Test
	void guardsOnce() {
		PluginStdout guard = new PluginStdout(this.stdout, this.stderr);
		guard.guard();
		PrintStream guarded = System.out;
		guard.guard();
		assertThat(System.out).isSameAs(guarded);
	}

	@Test
	void writesTheHandshakeOnce() {
		PluginStdout guard = new PluginStdout(this.stdout, this.stderr);
		assertThat(guard.handshakeWritten()).isFalse();
		guard.writeHandshake("line\n");
		assertThatIllegalStateException().isThrownBy(() -> guard.writeHandshake("line\n"))
			.withMessage("The handshake line was already written");
		assertThat(this.stdout.toString(StandardCharsets.US_ASCII)).isEqualTo("line\n");
	}

	@Test
	void instancesShareNothing() {
		new PluginStdout(new ByteArrayOutputStream(), new ByteArrayOutputStream()).writeHandshake("other\n");
		assertThat(new PluginStdout(this.stdout, this.stderr).handshakeWritten()).isFalse();
	}

}
