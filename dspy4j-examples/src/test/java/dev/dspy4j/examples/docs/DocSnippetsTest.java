package dev.dspy4j.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code ```java} block of README.md and docs/ compiles against the published modules, one
 * test per block (named {@code file:line}). Re-run alone with {@code scripts/check-snippets}.
 *
 * <p>How a block is compiled: see {@link WrappedSnippet} (fragments become a method body),
 * {@link StandardImports} (what is imported for it) and {@link SnippetGivens} (the names it may
 * use undeclared). A block not meant to compile carries {@code <!-- no-compile: why -->} on the
 * line before its fence; it is reported as skipped, with the reason.
 */
class DocSnippetsTest {

    /** The checkout's root: the Maven build passes it; from an IDE, the examples module's parent. */
    private static final Path ROOT = Path.of(System.getProperty("dspy4j.docs", "..")).toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target", "doc-snippets").toAbsolutePath();

    @TestFactory
    Stream<DynamicTest> everyJavaBlockInTheReadmeAndDocsCompiles() {
        List<DocSnippet> snippets = MarkdownSnippets.findAll(ROOT);
        assertThat(snippets).as("```java blocks under " + ROOT).isNotEmpty();

        List<Path> classpath = SnippetCompiler.testClasspath();
        StandardImports imports = StandardImports.scan(classpath, getClass().getClassLoader());
        List<WrappedSnippet> wrapped = new ArrayList<>();
        for (DocSnippet snippet : snippets) {
            if (snippet.noCompileReason().isEmpty()) {
                wrapped.add(WrappedSnippet.wrap(snippet, "snippets.s" + (wrapped.size() + 1), imports));
            }
        }
        Map<WrappedSnippet, List<String>> errors = new SnippetCompiler(classpath, WORK).compile(wrapped);
        Map<DocSnippet, WrappedSnippet> bySnippet = wrapped.stream()
                .collect(Collectors.toMap(WrappedSnippet::snippet, w -> w));

        return snippets.stream().map(snippet -> DynamicTest.dynamicTest(snippet.location(),
                URI.create(ROOT.resolve(snippet.file()).toUri() + "?line=" + snippet.fenceLine()), () -> {
                    if (snippet.noCompileReason().isPresent()) {
                        String reason = snippet.noCompileReason().get();
                        if (reason.isEmpty()) {
                            fail(snippet.location() + ": say why this block is not compiled: <!-- no-compile: the reason -->");
                        }
                        Assumptions.abort("not compiled: " + reason);
                    }
                    List<String> found = errors.get(bySnippet.get(snippet));
                    if (!found.isEmpty()) {
                        fail(report(snippet, bySnippet.get(snippet), found, imports));
                    }
                }));
    }

    private static String report(DocSnippet snippet, WrappedSnippet wrapped, List<String> errors, StandardImports imports) {
        String shared = imports.sharedNames().isEmpty() ? ""
                : "\n  not imported, because several dspy4j packages have them: " + imports.sharedNames();
        return snippet.location() + ": this ```java block does not compile:\n  "
                + String.join("\n  ", errors)
                + "\n\nHow blocks are compiled (see " + DocSnippetsTest.class.getPackageName() + " in dspy4j-examples' tests):"
                + "\n  a fragment becomes a method body in a subclass of SnippetGivens, which declares the names it may use"
                + " undeclared (lm, program, trainset, ...);"
                + "\n  every public dspy4j type is imported by name, and " + String.join(", ", StandardImports.JDK_PACKAGES)
                + " on demand, unless the block imports that name or package itself." + shared
                + "\n  wrapped source: " + WORK.resolve("src").resolve(wrapped.packageName().replace('.', '/'))
                .resolve(wrapped.fileName())
                + "\nFix the block, or add what the text around it assumes to SnippetGivens;"
                + " a block not meant to compile gets <!-- no-compile: why --> on the line before its fence.";
    }
}
