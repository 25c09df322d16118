package dev.dspy4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.export.PromptExport;
import dev.dspy4j.module.ChainOfThought;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportCommandTest {

    @TempDir
    Path dir;

    private static Path saved(String name) {
        Path file = CliHarness.shared().resolve("dspy-saved/" + name + "/program.json");
        assumeThat(file).exists();
        return file;
    }

    @Test
    void exportsTheSameJsonAsThePromptExportApi() {
        // given
        Path file = saved("01_predict_qa");
        Module program = Predict.of("question -> answer").load(file);
        String expected = PromptExport.of(program, DspyContext.empty().withAdapter(ChatAdapter.DEFAULT)).toJson();

        // when
        CliHarness.Result result = CliHarness.run("", "export", file.toString(), "--signature", "question -> answer");

        // then
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().strip()).isEqualTo(expected.strip());
        assertThat(result.out()).contains("dspy4j.prompt-export", "{{question}}");
    }

    @Test
    void writesMarkdownAndRendersTheExactRequestForInputs() throws Exception {
        // given
        Path file = saved("02_cot_class_signature");
        Module program = ChainOfThought.of("claim, evidence: list[str] -> verdict, confidence: float").load(file);
        Map<String, Object> inputs = Map.of("claim", "The sky is green.", "evidence", java.util.List.of("It is blue."));
        String expected = PromptExport.of(program, DspyContext.empty().withAdapter(ChatAdapter.DEFAULT))
                .predictor("predict").renderJson(inputs);
        Path inputsFile = Files.writeString(dir.resolve("inputs.json"),
                "{\"claim\": \"The sky is green.\", \"evidence\": [\"It is blue.\"]}");
        String[] structure = {"--signature", "claim, evidence: list[str] -> verdict, confidence: float", "--module", "cot"};

        // when
        CliHarness.Result markdown = CliHarness.run("", concat(new String[] {"export", file.toString(), "--format",
            "markdown"}, structure));
        CliHarness.Result rendered = CliHarness.run("", concat(new String[] {"export", file.toString(), "--render",
            inputsFile.toString()}, structure));

        // then
        assertThat(markdown.exitCode()).as(markdown.err()).isZero();
        assertThat(markdown.out()).contains("predict", "You are a careful fact checker.");
        assertThat(rendered.exitCode()).as(rendered.err()).isZero();
        assertThat(rendered.out().strip()).isEqualTo(expected.strip());
        assertThat(rendered.out()).contains("The sky is green.");
    }

    @Test
    void aMissingInputToRenderIsAnInputErrorAndNoFileIsAUsageError() throws Exception {
        Path file = saved("01_predict_qa");
        Path inputsFile = Files.writeString(dir.resolve("inputs.json"), "{\"other\": 1}");

        CliHarness.Result missing = CliHarness.run("", "export", file.toString(), "--signature", "question -> answer",
                "--render", inputsFile.toString());
        CliHarness.Result noFile = CliHarness.run("", "export", "--signature", "question -> answer");

        assertThat(missing.exitCode()).isEqualTo(ExitCodes.INPUT);
        assertThat(missing.err()).contains("question");
        assertThat(noFile.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
