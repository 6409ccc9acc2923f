package io.pluginrpc.readme;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's tested snippets: each fenced code block right after a
 * {@code <!-- readme-test: name -->} comment, by name, exactly as written.
 */
final class ReadmeSnippets {

	private static final Pattern SNIPPET = Pattern
		.compile("<!-- readme-test: ([a-z-]+) -->\\s*\\n```[a-z]*\\n(.*?)\\n```", Pattern.DOTALL);

	private final Map<String, String> snippets = new LinkedHashMap<>();

	private final Path readme;

	ReadmeSnippets(Path readme) throws IOException {
		this.readme = readme;
		Matcher matcher = SNIPPET.matcher(Files.readString(readme));
		while (matcher.find()) {
			if (this.snippets.put(matcher.group(1), matcher.group(2) + "\n") != null) {
				throw new IllegalStateException(readme + " marks two snippets 'readme-test: " + matcher.group(1) + "'");
			}
		}
	}

	/** The snippet marked {@code name}; fails naming the README when there is none. */
	String get(String name) {
		String snippet = this.snippets.get(name);
		if (snippet == null) {
			throw new IllegalStateException("expected a code block after '<!-- readme-test: " + name + " -->' in "
					+ this.readme + ", found snippets " + this.snippets.keySet());
		}
		return snippet;
	}

	/**
	 * Writes a Java snippet under {@code sourceRoot}, at the path its package and first
	 * class name give.
	 */
	Path writeJava(String name, Path sourceRoot) throws IOException {
		String source = get(name);
		Matcher packageName = Pattern.compile("(?m)^package ([\\w.]+);").matcher(source);
		Matcher className = Pattern.compile("(?m)^(?:public )?(?:final )?(?:class|interface|record) (\\w+)")
			.matcher(source);
		if (!packageName.find() || !className.find()) {
			throw new IllegalStateException("the Java snippet '" + name + "' in " + this.readme
					+ " needs a package declaration and a top-level class");
		}
		Path file = sourceRoot.resolve(packageName.group(1).replace('.', '/')).resolve(className.group(1) + ".java");
		return write(file, source);
	}

	Path write(String name, Path file) throws IOException {
		return write(file, get(name));
	}

	private static Path write(Path file, String content) throws IOException {
		Files.createDirectories(file.getParent());
		return Files.writeString(file, content);
	}

}
