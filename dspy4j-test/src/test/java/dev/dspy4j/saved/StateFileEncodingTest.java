package dev.dspy4j.saved;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.module.Predict;
import dev.dspy4j.module.StateLoadException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a saved file's bytes are read. DSPy 3.3 loads with {@code orjson.loads} on the file's bytes,
 * which rejects invalid UTF-8, a byte-order mark and {@code NaN}/{@code Infinity}; dspy4j rejects
 * the same files (so a file that loads here loads in DSPy), each with a message that names the file,
 * where the problem is and how to fix it.
 */
class StateFileEncodingTest {

    @TempDir
    Path dir;

    private final String valid = Predict.of("question -> answer").state().toJson();

    @Test
    void aMissingFileIsReportedAsNotFound() {
        Path file = dir.resolve("absent.json");

        rejected(file).hasMessageContaining("not found").hasMessageContaining(file.toAbsolutePath().toString());
    }

    @Test
    void invalidUtf8IsRejectedNamingTheFileAndTheByteOffset() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("{\"a\": \"caf".getBytes(StandardCharsets.UTF_8)); // 10 bytes
        bytes.write(0xE9); // Latin-1 é
        bytes.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
        Path file = Files.write(dir.resolve("latin1.json"), bytes.toByteArray());

        rejected(file).hasMessageContaining("is not valid UTF-8").hasMessageContaining("byte offset 10")
                .hasMessageContaining("0xE9");
    }

    @Test
    void aByteOrderMarkIsRejectedAsDspyRejectsIt() throws IOException {
        Path file = dir.resolve("bom.json");
        Files.writeString(file, "\uFEFF" + valid, StandardCharsets.UTF_8);

        rejected(file).hasMessageContaining("byte-order mark").hasMessageContaining("utf-8-sig");
    }

    @Test
    void nanAndInfinityAreRejectedAsDspyRejectsThemSayingWhereAndWhatToWriteInstead() throws IOException {
        for (String token : new String[] {"NaN", "Infinity", "-Infinity"}) {
            Path file = dir.resolve("nonfinite.json");
            Files.writeString(file, valid.replace("\"demos\": []", "\"demos\": [{\"question\": \"q\", \"score\": "
                    + token + "}]"), StandardCharsets.UTF_8);

            rejected(file).hasMessageContaining(token).hasMessageContaining("line 4")
                    .hasMessageContaining("null");
        }
    }

    @Test
    void aFileThatDspyLoadsStillLoads() throws IOException {
        Path file = dir.resolve("ok.json");
        Files.writeString(file, valid.replace("\"demos\": []", "\"demos\": [{\"question\": \"café ☕\"}]"),
                StandardCharsets.UTF_8);

        assertThat(Predict.of("question -> answer").load(file).state().predictor("self").demos()).hasSize(1);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> rejected(Path file) {
        return assertThatThrownBy(() -> Predict.of("question -> answer").load(file))
                .isInstanceOf(StateLoadException.class).hasMessageContaining(file.toString());
    }
}
