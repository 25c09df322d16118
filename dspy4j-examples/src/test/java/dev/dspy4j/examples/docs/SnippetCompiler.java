package dev.dspy4j.examples.docs;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles wrapped snippets with the JDK's compiler, all in one run, and reports each one's errors
 * in Markdown terms ({@code docs/optimizers.md:27: cannot find symbol ...}).
 */
final class SnippetCompiler {

    private final List<Path> classpath;
    private final Path workDirectory;

    /**
     * @param classpath what the snippets compile against
     * @param workDirectory where the wrapped sources ({@code src/}) and classes go; wiped first
     */
    SnippetCompiler(List<Path> classpath, Path workDirectory) {
        this.classpath = List.copyOf(classpath);
        this.workDirectory = workDirectory;
    }

    /** The test's own class path: Surefire's test class path when it runs under Surefire. */
    static List<Path> testClasspath() {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return List.of(path.split(File.pathSeparator)).stream().filter(s -> !s.isBlank()).map(Path::of).toList();
    }

    /**
     * Compiles the snippets together; each keeps its own package, so they cannot clash.
     *
     * @return each snippet's errors, one text per error, in the order given
     * @throws IllegalStateException if no Java compiler is available or the compiler fails outside the snippets
     */
    Map<WrappedSnippet, List<String>> compile(List<WrappedSnippet> snippets) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler in this runtime (" + System.getProperty("java.home")
                    + "); run the tests on a JDK, not a JRE");
        }
        Map<Path, WrappedSnippet> byFile = new HashMap<>();
        Path sources = workDirectory.resolve("src");
        Path classes = workDirectory.resolve("classes");
        try {
            deleteRecursively(workDirectory);
            Files.createDirectories(classes);
            for (WrappedSnippet snippet : snippets) {
                Path file = sources.resolve(snippet.packageName().replace('.', '/')).resolve(snippet.fileName());
                Files.createDirectories(file.getParent());
                Files.writeString(file, snippet.source(), StandardCharsets.UTF_8);
                byFile.put(file.toAbsolutePath().normalize(), snippet);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the wrapped snippets under " + workDirectory, e);
        }

        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of("--release", "21", "-proc:none", "-implicit:none", "-nowarn",
                "-encoding", "UTF-8", "-Xmaxerrs", "100000",
                // keep checking the other snippets when one has errors
                "-XDshould-stop.ifError=FLOW",
                "-classpath", classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
                "-d", classes.toString());
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            Iterable<? extends JavaFileObject> units = files.getJavaFileObjectsFromPaths(byFile.keySet());
            javac.getTask(null, files, diagnostics, options, null, units).call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        Map<WrappedSnippet, List<String>> errors = new LinkedHashMap<>();
        snippets.forEach(snippet -> errors.put(snippet, new ArrayList<>()));
        List<String> elsewhere = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
            if (diagnostic.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            WrappedSnippet snippet = diagnostic.getSource() == null ? null
                    : byFile.get(Path.of(diagnostic.getSource().toUri()).toAbsolutePath().normalize());
            if (snippet == null) {
                elsewhere.add(diagnostic.getMessage(Locale.ROOT));
            } else {
                errors.get(snippet).add(describe(snippet, diagnostic));
            }
        }
        if (!elsewhere.isEmpty()) {
            throw new IllegalStateException("the compiler failed outside the snippets: " + String.join("\n", elsewhere));
        }
        return errors;
    }

    private static String describe(WrappedSnippet snippet, Diagnostic<? extends JavaFileObject> diagnostic) {
        long line = diagnostic.getLineNumber();
        String text = snippet.snippetText(line).strip();
        return snippet.snippet().file() + ":" + snippet.markdownLine(line) + ": " + diagnostic.getMessage(Locale.ROOT)
                + (text.isEmpty() ? "" : "\n        " + text);
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var walk = Files.walk(directory)) {
            for (Path path : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(path);
            }
        }
    }
}
