package io.pluginrpc.readme;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Bring your own .proto", as a new user follows it: a plugin project and a
 * host project written from the README's snippets exactly as they stand, built by Maven
 * against this build's artifacts, and the host run once: it launches the plugin,
 * configures it through its {@code PluginInitializer} and makes one call.
 * <p>
 * The generated builds never write to the shared local repository: they use
 * {@code target/readme-repo}, seeded with this reactor's artifacts, and read everything
 * else from the build's own local repository as a {@code file://} remote repository
 * (Maven Central after it), so they need no network for what this build resolved itself.
 */
class BringYourOwnProtoIT {

	private static final String VERSION = System.getProperty("readme.projectVersion");

	private static final Path ROOT = Path.of(System.getProperty("readme.root")).toAbsolutePath().normalize();

	private static final Path WORK = Path.of("target", "readme").toAbsolutePath();

	private static final Path REPOSITORY = Path.of("target", "readme-repo").toAbsolutePath();

	private static ReadmeSnippets readme;

	@BeforeAll
	static void readTheReadme() throws IOException {
		readme = new ReadmeSnippets(ROOT.resolve("README.md"));
	}

	@Test
	void thePomsUseTheVersionsOfThisBuild() {
		for (String pom : List.of("plugin-pom", "host-pom")) {
			assertThat(readme.get(pom)).as("README snippet %s", pom)
				.contains("<protoc.version>" + System.getProperty("readme.protocVersion") + "</protoc.version>")
				.contains("<protoc-gen-grpc-java.version>" + System.getProperty("readme.protocGenGrpcJavaVersion")
						+ "</protoc-gen-grpc-java.version>")
				.contains("<version>" + System.getProperty("readme.protobufMavenPluginVersion") + "</version>")
				.contains("<version>" + System.getProperty("readme.springBootVersion") + "</version>")
				.contains("<artifactId>plugin-spring-boot-dependencies</artifactId>\n        <version>" + VERSION
						+ "</version>");
		}
	}

	@Test
	void aHostBuiltFromTheReadmeRunsAPluginBuiltFromTheReadmeAndCallsIt() throws Exception {
		deleteRecursively(WORK);
		Path plugin = WORK.resolve("notifier-plugin");
		readme.write("plugin-pom", plugin.resolve("pom.xml"));
		readme.write("proto", plugin.resolve("src/main/proto/notifier.proto"));
		readme.writeJava("plugin-service", plugin.resolve("src/main/java"));
		readme.writeJava("plugin-application", plugin.resolve("src/main/java"));
		readme.write("plugin-yml", plugin.resolve("src/main/resources/application.yml"));
		Path host = WORK.resolve("notifier-host");
		readme.write("host-pom", host.resolve("pom.xml"));
		readme.write("proto", host.resolve("src/main/proto/notifier.proto"));
		readme.writeJava("host-initializer", host.resolve("src/main/java"));
		readme.writeJava("host-application", host.resolve("src/main/java"));
		readme.write("host-yml", host.resolve("src/main/resources/application.yml"));
		// One Maven run builds both (an aggregator of the two projects, which stay as the
		// README has them).
		Files.writeString(WORK.resolve("pom.xml"), """
				<project xmlns="http://maven.apache.org/POM/4.0.0">
				  <modelVersion>4.0.0</modelVersion>
				  <groupId>readme</groupId>
				  <artifactId>readme</artifactId>
				  <version>1</version>
				  <packaging>pom</packaging>
				  <modules>
				    <module>notifier-plugin</module>
				    <module>notifier-host</module>
				  </modules>
				</project>
				""");
		seedRepository();

		Run build = run(WORK, maven(), 10);
		assertThat(build.status).as("the README's projects build:\n%s", build.output).isZero();
		Path pluginJar = plugin.resolve("target/notifier-plugin-0.0.1-SNAPSHOT.jar");
		Path hostJar = host.resolve("target/notifier-host-0.0.1-SNAPSHOT.jar");
		assertThat(pluginJar).isRegularFile();
		assertThat(hostJar).isRegularFile();

		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Run byHand = run(plugin, List.of(java, "-jar", pluginJar.toString()), 2);
		assertThat(byHand.status).as(byHand.output).isEqualTo(1);
		assertThat(byHand.output).contains("This binary is a plugin. These are not meant to be executed directly.");

		// As the README runs it: from notifier-host, where ../notifier-plugin/target/...
		// is the plugin jar. The
		// longer start-timeout is for a CI machine busy with other builds, not part of
		// what the README shows.
		Run call = run(host, List.of(java, "-jar", hostJar.toString(), "--plugins.notifier.start-timeout=5m"), 8);
		assertThat(call.status).as(call.output).isZero();
		assertThat(call.output).contains("sent to #ops: deploy finished");
	}

	/**
	 * This reactor's artifacts, as an install would put them, in the generated builds'
	 * own repository.
	 */
	private static void seedRepository() throws IOException {
		deleteRecursively(REPOSITORY.resolve("io/pluginrpc"));
		install("plugin-spring-boot-parent", ROOT.resolve("pom.xml"), null);
		install("plugin-spring-boot-dependencies", ROOT.resolve("plugin-spring-boot-dependencies/pom.xml"), null);
		for (String[] module : new String[][] { { "plugin-spring-boot-proto", "proto" },
				{ "plugin-spring-boot-core", "plugin-spring-boot-core" },
				{ "plugin-spring-boot-autoconfigure", "plugin-spring-boot-autoconfigure" },
				{ "plugin-spring-boot-starter", "plugin-spring-boot-starter" } }) {
			Path directory = ROOT.resolve(module[1]);
			Path jar = directory.resolve("target/" + module[0] + "-" + VERSION + ".jar");
			if (!Files.isRegularFile(jar)) {
				throw new IllegalStateException("expected " + jar + " from this reactor's package phase, found none; "
						+ "build with -am (e.g. ./mvnw verify -pl plugin-spring-boot-readme-tests -am)");
			}
			install(module[0], directory.resolve("pom.xml"), jar);
		}
	}

	private static void install(String artifactId, Path pom, Path jar) throws IOException {
		Path directory = Files
			.createDirectories(REPOSITORY.resolve("io/pluginrpc").resolve(artifactId).resolve(VERSION));
		Files.copy(pom, directory.resolve(artifactId + "-" + VERSION + ".pom"), StandardCopyOption.REPLACE_EXISTING);
		if (jar != null) {
			Files.copy(jar, directory.resolve(artifactId + "-" + VERSION + ".jar"),
					StandardCopyOption.REPLACE_EXISTING);
		}
	}

	/**
	 * The build's local repository as the first remote repository (no network needed for
	 * what this build already resolved); Maven Central after it, for anything the build
	 * never needed itself.
	 */
	private static Path settings() throws IOException {
		String repository = Path.of(System.getProperty("readme.mirror")).toAbsolutePath().toUri().toString();
		return Files.writeString(WORK.resolve("settings.xml"), """
				<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">
				  <profiles>
				    <profile>
				      <id>build-local-repository</id>
				      <repositories>
				        <repository>
				          <id>build-local-repository</id>
				          <url>%1$s</url>
				        </repository>
				      </repositories>
				      <pluginRepositories>
				        <pluginRepository>
				          <id>build-local-repository</id>
				          <url>%1$s</url>
				        </pluginRepository>
				      </pluginRepositories>
				    </profile>
				  </profiles>
				  <activeProfiles>
				    <activeProfile>build-local-repository</activeProfile>
				  </activeProfiles>
				</settings>
				""".formatted(repository));
	}

	private static List<String> maven() throws IOException {
		// Online, but what this build resolved comes from the file:// repository, which
		// is asked first.
		return List.of(ROOT.resolve("mvnw").toString(), "-B", "-q", "-s", settings().toString(),
				"-Dmaven.repo.local=" + REPOSITORY, "package");
	}

	private static Run run(Path directory, List<String> command, int minutes) throws Exception {
		ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(directory.toFile())
			.redirectErrorStream(true);
		builder.environment().remove("MAVEN_ARGS");
		Process process = builder.start();
		try {
			CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
			if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
				throw new AssertionError(String.join(" ", command) + " did not finish within " + minutes + " minutes");
			}
			return new Run(process.exitValue(), output.get(1, TimeUnit.MINUTES));
		}
		finally {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
			process.waitFor(30, TimeUnit.SECONDS);
		}
	}

	private static String read(InputStream in) {
		try {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(unreadable: " + ex + ")";
		}
	}

	private static void deleteRecursively(Path path) throws IOException {
		if (!Files.exists(path)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(path)) {
			for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(each);
			}
		}
	}

	private record Run(int status, String output) {
	}

}
