package io.pluginrpc.faststart;

import java.io.File;
import java.io.IOException;

import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Trains an existing fast-start directory again in place, e.g. after moving it (the JVM
 * caches hold absolute paths; an out-of-date cache is ignored with a warning and the
 * plugin starts without it). Needs no project:
 * {@code mvn io.pluginrpc:plugin-spring-boot-maven-plugin:train
 * -Dfast-start.output=/opt/my-plugin -Dfast-start.cookie=KEY=VALUE}.
 */
@Mojo(name = "train", requiresProject = false, threadSafe = true)
public class TrainMojo extends AbstractMojo {

	/** The fast-start directory. */
	@Parameter(property = "fast-start.output", defaultValue = "${project.build.directory}/fast-start", required = true)
	private File output;

	/** The plugin's magic cookie as {@code KEY=VALUE}. */
	@Parameter(property = "fast-start.cookie", required = true)
	private String cookie;

	/** The launcher script's file name. */
	@Parameter(property = "fast-start.launcher", defaultValue = "plugin")
	private String launcher;

	@Override
	public void execute() throws MojoExecutionException {
		try {
			new FastStartBuilder(this.output.toPath()).launcher(this.launcher)
				.cookie(this.cookie)
				.log(getLog()::info)
				.train();
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
