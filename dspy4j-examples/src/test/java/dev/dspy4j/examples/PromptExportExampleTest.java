package dev.dspy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptExportExampleTest {

    @TempDir
    Path folder;

    @Test
    void exportsTheSavedProgramAndPrintsTheRequestForOneQuestion() throws Exception {
        // given
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        // when
        int status = PromptExportExample.run(folder, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        // then
        assertThat(status).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(Files.readString(folder.resolve("prompts.json")))
                .contains("\"format\": \"dspy4j.prompt-export\"")
                .contains("Answer the question with a short factual phrase.")
                .contains("[[ ## question ## ]]\\n{{question}}");
        assertThat(Files.readString(folder.resolve("prompts.md"))).contains("## `self`");
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("\"role\": \"assistant\"")
                .contains("[[ ## question ## ]]\\nWhat is the capital of France?\\n\\nRespond with");
    }
}
