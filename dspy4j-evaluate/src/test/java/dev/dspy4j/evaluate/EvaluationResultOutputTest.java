package dev.dspy4j.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class EvaluationResultOutputTest {

    @TempDir
    Path dir;

    private EvaluationResult result() {
        List<Example> devset = List.of(
                Example.of("question", "Capital of France?", "answer", "Paris").withInputs("question"),
                Example.of("question", "Say \"hi\", twice", "answer", "hi hi").withInputs("question"),
                Example.of("question", "crash", "answer", "x").withInputs("question"));
        var program = new EvaluateTest.FunctionProgram(in -> {
            if (in.get("question").equals("crash")) {
                throw new IllegalStateException("no answer");
            }
            return Prediction.of(Map.of("answer", in.get("question").equals("crash") ? "" : "Paris"));
        });
        return Evaluate.builder().devset(devset)
                .metric("accuracy", Metric.of((ex, pred) -> ex.get("answer").equals(pred.get("answer"))))
                .metric("half", Metric.ofScore((ex, pred) -> 0.5))
                .build().run(program, DspyContext.empty());
    }

    @Test
    void rendersInputsOutputsScoresAndErrorsAsATable() {
        String table = result().toTable(10);

        assertThat(table).contains("question", "pred_answer", "accuracy", "half", "error")
                .contains("Capital of France?", "Paris", "1.0", "0.5")
                .contains("IllegalStateException: no answer");
    }

    @Test
    void limitsTheTableToMaxRows() {
        String table = result().toTable(1);

        assertThat(table).contains("Capital of France?").doesNotContain("twice").contains("... 2 more rows");
    }

    @Test
    void writesCsvWithQuotingAndOneColumnPerMetric() throws Exception {
        Path file = dir.resolve("out/results.csv");

        result().writeCsv(file);

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).isEqualTo("index,question,answer,pred_answer,accuracy,half,error");
        assertThat(lines.get(1)).isEqualTo("0,Capital of France?,Paris,Paris,1.0,0.5,");
        assertThat(lines.get(2)).isEqualTo("1,\"Say \"\"hi\"\", twice\",hi hi,Paris,0.0,0.5,");
        assertThat(lines.get(3)).isEqualTo("2,crash,x,,0.0,0.0,IllegalStateException: no answer");
    }

    @Test
    void writesAFeedbackColumnForEachMetricThatGaveFeedback() throws Exception {
        Path csv = dir.resolve("feedback.csv");
        Path json = dir.resolve("feedback.json");
        EvaluationResult result = Evaluate.builder()
                .devset(List.of(Example.of("question", "q", "answer", "a").withInputs("question")))
                .metric("accuracy", Metric.of((ex, pred) -> false))
                .metric("style", (ex, pred, context) -> Score.of(0.5, "too terse"))
                .build().run(new EvaluateTest.FunctionProgram(in -> Prediction.of(Map.of("answer", "b"))),
                        DspyContext.empty());

        result.writeCsv(csv);
        result.writeJson(json);

        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertThat(lines).containsExactly("index,question,answer,pred_answer,accuracy,style,style_feedback,error",
                "0,q,a,b,0.0,0.5,too terse,");
        JsonNode row = JsonMapper.builder().build().readTree(Files.readString(json)).get("results").get(0);
        assertThat(row.get("feedback").get("style").asString()).isEqualTo("too terse");
        assertThat(row.get("feedback").has("accuracy")).isFalse();
        assertThat(result.toTable(5)).contains("style_feedback", "too terse");
    }

    @Test
    void writesOneHtmlPageWithEveryResultEscaped() throws Exception {
        // given a program whose output and a metric's feedback hold markup
        Path file = dir.resolve("out/results.html");
        EvaluationResult result = Evaluate.builder()
                .devset(List.of(Example.of("question", "a < b?", "answer", "yes").withInputs("question"),
                        Example.of("question", "crash", "answer", "x").withInputs("question")))
                .metric("accuracy", (ex, pred, context) -> Score.of(0.0, "<b>wrong</b> & 'late'"))
                .build().run(new EvaluateTest.FunctionProgram(in -> {
                    if (in.get("question").equals("crash")) {
                        throw new IllegalStateException("no <answer>");
                    }
                    return Prediction.of(Map.of("answer", "<script>alert(1)</script>"));
                }), DspyContext.empty());

        // when
        result.writeHtml(file);

        // then
        String html = Files.readString(file);
        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n")
                .contains("<table class=\"results\">", "<th>pred_answer</th>", "<th>accuracy feedback</th>")
                .contains("<td>a &lt; b?</td>", "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>",
                        "<td>&lt;b&gt;wrong&lt;/b&gt; &amp; &#39;late&#39;</td>",
                        "<tr class=\"failed\">", "IllegalStateException: no &lt;answer&gt;")
                .doesNotContain("<script", "<b>");
        assertThat(html).contains("Score: <strong>0.00</strong> on 2 examples; 1 failed.");
        assertThat(html.split("<tr").length).isEqualTo(html.split("</tr>").length);
    }

    @Test
    void writesJsonWithScoresAndEveryResult() throws Exception {
        Path file = dir.resolve("results.json");

        result().writeJson(file);

        JsonNode root = JsonMapper.builder().build().readTree(Files.readString(file));
        assertThat(root.get("score").asDouble()).isEqualTo(33.33);
        assertThat(root.get("scores").get("half").asDouble()).isEqualTo(33.33);
        assertThat(root.get("total").asInt()).isEqualTo(3);
        assertThat(root.get("errors").asInt()).isEqualTo(1);
        JsonNode first = root.get("results").get(0);
        assertThat(first.get("example").get("question").asString()).isEqualTo("Capital of France?");
        assertThat(first.get("prediction").get("answer").asString()).isEqualTo("Paris");
        assertThat(first.get("scores").get("accuracy").asDouble()).isEqualTo(1.0);
        assertThat(first.get("usage").get("prompt_tokens").asLong()).isZero();
        JsonNode failed = root.get("results").get(2);
        assertThat(failed.get("prediction").isNull()).isTrue();
        assertThat(failed.get("error").asString()).isEqualTo("IllegalStateException: no answer");
    }
}
