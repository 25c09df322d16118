package dev.dspy4j.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The machinery of {@link DocSnippetsTest}: finding blocks, wrapping them, reporting errors. */
class SnippetCheckTest {

    @TempDir
    Path work;

    @Test
    void findsOnlyJavaBlocksWithTheirFenceLineAndNoCompileReason() {
        String markdown = """
                # Title

                ```xml
                <dependency/>
                ```

                ```java title="A.java"
                int a = 1;
                ```

                <!-- no-compile: an outline -->
                  ~~~~java
                  interface A { void f(); }
                  ~~~~
                """;

        List<DocSnippet> snippets = MarkdownSnippets.extract("doc.md", markdown);

        assertThat(snippets).containsExactly(
                new DocSnippet("doc.md", 7, List.of("int a = 1;"), Optional.empty()),
                new DocSnippet("doc.md", 12, List.of("interface A { void f(); }"), Optional.of("an outline")));
    }

    @Test
    void aJavaBlockThatIsNeverClosedIsNamed() {
        assertThatThrownBy(() -> MarkdownSnippets.extract("doc.md", "text\n```java\nint a = 1;\n"))
                .hasMessage("doc.md:2: this ```java block is never closed");
    }

    @Test
    void aWildcardImportOfTheModulePackageFailsAsInAUsersFileAndErrorsPointAtMarkdownLines() {
        DocSnippet wildcard = new DocSnippet("doc.md", 10,
                List.of("import dev.dspy4j.module.*;", "", "Module tuned = program;"), Optional.empty());
        DocSnippet fragment = new DocSnippet("doc.md", 20,
                List.of("record Pair(String a, String b) {}", "Module tuned = program.withLm(lm);",
                        "List<Example> copy = new ArrayList<>(trainset);"), Optional.empty());
        DocSnippet unit = new DocSnippet("doc.md", 30,
                List.of("import dev.dspy4j.module.Predict;", "", "public class Qa {",
                        "    final Predict qa = Predict.of(\"question -> answer\");", "}"), Optional.empty());

        Map<WrappedSnippet, List<String>> errors = compile(wildcard, fragment, unit);

        assertThat(errors.values()).containsExactly(
                List.of("""
                        doc.md:13: reference to Module is ambiguous
                          both class dev.dspy4j.module.Module in dev.dspy4j.module and class java.lang.Module in java.lang match
                                Module tuned = program;"""),
                List.of(), List.of());
    }

    private Map<WrappedSnippet, List<String>> compile(DocSnippet... snippets) {
        List<Path> classpath = SnippetCompiler.testClasspath();
        StandardImports imports = StandardImports.scan(classpath, getClass().getClassLoader());
        List<WrappedSnippet> wrapped = new ArrayList<>();
        for (DocSnippet snippet : snippets) {
            wrapped.add(WrappedSnippet.wrap(snippet, "check.s" + wrapped.size(), imports));
        }
        return new SnippetCompiler(classpath, work).compile(wrapped);
    }
}
