package io.pluginrpc.host;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/** Checksums as algorithm:hex, in the spellings people write. */
class ChecksumVerifierTest {

	@TempDir
	Path dir;

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "sha256, SHA-256", "SHA-256, SHA-256", "sha512, SHA-512", "sha1, SHA-1", "sha3-256, SHA3-256",
			"SHA3-512, SHA3-512", "sha384, SHA-384", "md5, MD5" })
	void acceptsCommonSpellingsOfTheAlgorithm(String configured, String jdkName) throws Exception {
		assertThat(ChecksumVerifier.jdkAlgorithm(configured)).isEqualTo(jdkName);
		Path file = Files.writeString(this.dir.resolve("plugin"), "plugin bytes", StandardCharsets.US_ASCII);
		String hex = HexFormat.of()
			.formatHex(MessageDigest.getInstance(jdkName).digest("plugin bytes".getBytes(StandardCharsets.US_ASCII)));
		assertThatNoException()
			.isThrownBy(() -> ChecksumVerifier.verify("kv", configured + ":" + hex.toUpperCase(), file));
	}

	@Test
	void aChecksumOfTheWrongLengthSaysSo() throws Exception {
		Path file = Files.writeString(this.dir.resolve("plugin"), "x", StandardCharsets.US_ASCII);
		assertThatExceptionOfType(PluginStartException.class)
			.isThrownBy(() -> ChecksumVerifier.verify("kv", "sha256:9f86d0", file))
			.withMessage("Plugin 'kv': a sha256 checksum has 64 hex digits, but the configured one has 6")
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(PluginStartException.Reason.CHECKSUM));
	}

	@Test
	void anUnknownAlgorithmIsNamed() throws Exception {
		Path file = Files.writeString(this.dir.resolve("plugin"), "x", StandardCharsets.US_ASCII);
		assertThatExceptionOfType(PluginStartException.class)
			.isThrownBy(() -> ChecksumVerifier.verify("kv", "crc32:00", file))
			.withMessageStartingWith("Plugin 'kv': cannot use checksum 'crc32:00': ");
	}

	@Test
	void windowsStylePathsAreSearchedWithEachPathextExtension(@org.junit.jupiter.api.io.TempDir Path dir)
			throws Exception {
		Path bin = Files.createDirectories(dir.resolve("bin"));
		Path plugin = Files.writeString(bin.resolve("kv-plugin.cmd"), "@echo off");
		plugin.toFile().setExecutable(true);
		java.util.List<String> extensions = ChecksumVerifier.windowsExtensions(".EXE;.CMD");
		assertThat(extensions).containsExactly("", ".exe", ".cmd");
		assertThat(ChecksumVerifier.resolveExecutable("kv", "kv-plugin", null, dir.resolve("nothing") + ";" + bin, ";",
				extensions))
			.isEqualTo(plugin.toAbsolutePath());
		assertThat(ChecksumVerifier.windowsExtensions(null)).contains(".exe", ".bat");
		assertThatExceptionOfType(PluginStartException.class)
			.isThrownBy(() -> ChecksumVerifier.resolveExecutable("kv", "kv-plugin", null, bin.toString(), ":",
					java.util.List.of("")))
			.withMessageContaining("no executable 'kv-plugin' found on the PATH");
	}

}
