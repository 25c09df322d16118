package dev.dspy4j.spark.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/spark.md's Java blocks are marked no-compile (dspy4j-examples, where DocSnippetsTest compiles
 * the docs, has no Spark on its class path); this module does, so each block must be the text of a
 * class compiled here ({@link TriageTickets}, {@link SparkDocSnippets}), whitespace aside.
 */
class SparkDocSnippetsTest {

    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Path SOURCES = Path.of("src/test/java/dev/dspy4j/spark/example");

    @Test
    void everyJavaBlockOfTheSparkDocIsCompiledCode() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "spark.md"));
        String compiled = squash(Files.readString(SOURCES.resolve("TriageTickets.java"))
                + Files.readString(SOURCES.resolve("SparkDocSnippets.java")));
        List<String> blocks = new ArrayList<>();
        Matcher block = JAVA_BLOCK.matcher(doc);
        while (block.find()) {
            blocks.add(block.group(1));
        }

        assertThat(blocks).hasSizeGreaterThanOrEqualTo(2);
        for (String java : blocks) {
            assertThat(compiled).as("docs/spark.md block:%n%s", java).contains(squash(java));
        }
    }

    private static String squash(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }
}
