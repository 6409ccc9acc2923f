package io.pluginrpc.faststart;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Writes the fast-start directory of a plugin after {@code spring-boot:repackage}: the
 * jar extracted, the launcher script a host execs (it also works through a symlink), and,
 * unless {@code train} is false, a JVM cache from one training run. Declare it after
 * spring-boot-maven-plugin: both bind to {@code package}, and Maven runs them in the
 * order of the pom.
 */
@Mojo(name = "fast-start", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class FastStartMojo extends AbstractMojo {

	/** The plugin's Spring Boot jar. */
	@Parameter(property = "fast-start.jar", defaultValue = "${project.build.directory}/${project.build.finalName}.jar",
			required = true)
	private File jar;

	/** The directory to write (replaced on each build). */
	@Parameter(property = "fast-start.output", defaultValue = "${project.build.directory}/fast-start", required = true)
	private File output;

	/**
	 * The java executable the plugin runs on: JDK 25+ gives an AOT cache, JDK 17-24 a
	 * dynamic CDS archive. Default: the JVM running Maven.
	 */
	@Parameter(property = "fast-start.java", defaultValue = "${java.home}/bin/java", required = true)
	private String java;

	/** The plugin's magic cookie as {@code KEY=VALUE}, for the training run. */
	@Parameter(property = "fast-start.cookie")
	private String cookie;

	/** The launcher script's file name. */
	@Parameter(property = "fast-start.launcher", defaultValue = "plugin")
	private String launcher;

	/**
	 * JVM options added to the launcher after its defaults, e.g.
	 * {@code -Dspring.aot.enabled=true} with Spring AOT's {@code process-aot}, or
	 * {@code -XX:TieredStopAtLevel=1} for C1 only (less CPU and memory at start, twice
	 * the CPU per call).
	 */
	@Parameter
	private List<String> jvmOptions = new ArrayList<>();

	/** Whether to run the training run that writes the JVM cache. */
	@Parameter(property = "fast-start.train", defaultValue = "true")
	private boolean train;

	/** Skips this goal. */
	@Parameter(property = "fast-start.skip", defaultValue = "false")
	private boolean skip;

	@Override
	public void execute() throws MojoExecutionException {
		if (this.skip) {
			getLog().info("fast start: skipped");
			return;
		}
		if (this.train && (this.cookie == null || this.cookie.isBlank())) {
			throw new MojoExecutionException("fast start: the training run needs the plugin's magic cookie; set "
					+ "<cookie>KEY=VALUE</cookie> (or -Dfast-start.cookie), or <train>false</train>");
		}
		try {
			FastStartBuilder builder = new FastStartBuilder(this.output.toPath()).java(this.java)
				.launcher(this.launcher)
				.jvmOptions(this.jvmOptions)
				.log(getLog()::info);
			builder.build(this.jar.toPath());
			if (this.train) {
				builder.cookie(this.cookie).train();
			}
		}
		catch (IOException | IllegalArgumentException ex) {
			throw new MojoExecutionException("fast start: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new MojoExecutionException("fast start: interrupted", ex);
		}
	}

}
