package dev.dspy4j.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.module.Predict;
import dev.dspy4j.testkit.ScriptedLm;
import dev.dspy4j.usage.UsageTracker;
import java.awt.GraphicsEnvironment;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptimizationReportTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final Pattern QUALITY = Pattern.compile("\\[q=(\\d+)]");

    @TempDir
    Path dir;

    /** COPRO: right on {@code qN} when {@code N <= q}, q from the instruction's {@code [q=…]} marker. */
    private static CoproResult coproRun(String... instructionPrefixPairs) {
        ScriptedLm task = Fixtures.answering(request -> {
            Matcher m = QUALITY.matcher(request.messages().get(0).text());
            return Fixtures.number(Fixtures.question(request)) <= (m.find() ? Integer.parseInt(m.group(1)) : 0);
        });
        Deque<String> proposals = new ArrayDeque<>();
        for (int i = 0; i < instructionPrefixPairs.length; i += 2) {
            Map<String, Object> outputs = new LinkedHashMap<>();
            outputs.put("proposed_instruction", instructionPrefixPairs[i]);
            outputs.put("proposed_prefix_for_output_field", instructionPrefixPairs[i + 1]);
            proposals.add(ScriptedLm.chatCompletion(outputs));
        }
        ScriptedLm prompt = ScriptedLm.responding(request -> LmResponse.ofTexts(List.copyOf(proposals)));
        return Copro.builder().metric(Fixtures.EXACT).promptModel(prompt).breadth(instructionPrefixPairs.length / 2 + 1)
                .depth(1).build().optimize(Predict.of("question -> answer"), Fixtures.trainset(4), DspyContext.of(task));
    }

    @Test
    void coproReportHasATrialPerCandidateAndTheBestProgramsPrompt() {
        // given a COPRO run whose best instruction answers 3 of 4
        CoproResult result = coproRun("Answer well [q=2].", "Reply:", "Answer [q=3].", "Out:");

        // when
        OptimizationReport report = OptimizationReport.of(result);

        // then every candidate is a trial with its instruction, and the best prompt is ChatAdapter's
        assertThat(report.optimizer()).isEqualTo("COPRO");
        assertThat(report.settings()).containsEntry("evaluations", "3").containsEntry("budget exhausted", "false");
        assertThat(report.trials()).extracting(OptimizationReport.Trial::number).containsExactly(1, 2, 3);
        assertThat(report.trials()).extracting(t -> t.instructions().get("self"))
                .contains("Answer [q=3].", "Answer well [q=2].");
        assertThat(report.trials()).allMatch(t -> t.demos() == 0 && t.spendSoFar().isEmpty());
        assertThat(report.bestScore()).isEqualTo(75.0);
        OptimizationReport.PredictorPrompt best = report.bestPrompts().get(0);
        assertThat(best.path()).isEqualTo("self");
        assertThat(best.instructions()).isEqualTo("Answer [q=3].");
        assertThat(best.systemMessage()).contains("Answer [q=3].", "[[ ## answer ## ]]");
        assertThat(best.userMessage()).contains("[[ ## question ## ]]\n{question}");
    }

    @Test
    void miproReportKeepsTheTrialOrderAndTheProgramRunsSoFar() {
        // given a light zero-shot MIPROv2 run on a small valset
        ScriptedLm lm = MiproV2Test.lm(request -> Fixtures.number(Fixtures.question(request)) % 2 == 1);
        MiproResult result = MiproV2Test.zeroShot().auto(MiproV2.Auto.LIGHT).seed(1).build()
                .search(Predict.of("question -> answer"), Fixtures.trainset(30), Fixtures.trainset(20),
                        DspyContext.of(lm).withAdapter(ChatAdapter.DEFAULT));

        // when
        OptimizationReport report = OptimizationReport.of(result);

        // then the trials are MIPRO's, in order, with its counts of program runs
        assertThat(report.optimizer()).isEqualTo("MIPROv2");
        assertThat(report.spendUnit()).isEqualTo("program runs");
        assertThat(report.trials()).extracting(OptimizationReport.Trial::number)
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(report.trials()).extracting(OptimizationReport.Trial::score)
                .containsExactlyElementsOf(result.trials().stream().map(MiproTrial::score).toList());
        assertThat(report.trials()).extracting(t -> t.spendSoFar().getAsLong())
                .containsExactly(20L, 40L, 60L, 80L, 100L, 120L, 140L, 160L, 180L, 200L);
        assertThat(report.trials().get(0).instructions())
                .containsEntry("self", "Given the fields `question`, produce the fields `answer`.");
        assertThat(report.bestScore()).isEqualTo(50.0);
    }

    @Test
    void gepaReportScalesMeanScoresToAHundredAndCountsMetricCalls() {
        // given a GEPA run that finds the instruction answering every question
        ScriptedLm task = Fixtures.answering(request -> request.messages().get(0).text().contains("[good]")
                || Fixtures.number(Fixtures.question(request)) % 2 == 1);
        GepaResult result = Gepa.builder().metric(Fixtures.EXACT)
                .reflectionLm(ScriptedLm.replying("```\nAnswer exactly [good]\n```")).maxMetricCalls(20).build()
                .optimize(Predict.of("question -> answer"), Fixtures.trainset(6),
                        Fixtures.trainset(10).subList(6, 10), DspyContext.of(task));

        // when
        OptimizationReport report = OptimizationReport.of(result);

        // then one trial per accepted candidate, on the 0-100 scale
        assertThat(report.trials()).extracting(OptimizationReport.Trial::score).containsExactly(50.0, 100.0);
        assertThat(report.trials()).extracting(OptimizationReport.Trial::spendSoFar)
                .containsExactly(OptionalLong.of(0), OptionalLong.of(10));
        assertThat(report.trials().get(1).instructions()).containsEntry("self", "Answer exactly [good]");
        assertThat(report.bestScore()).isEqualTo(100.0);
        assertThat(report.settings()).containsEntry("max metric calls", "20").containsEntry("best candidate", "1");
        assertThat(report.bestPrompts().get(0).systemMessage()).contains("Answer exactly [good]");
    }

    @Test
    void simbaReportHasOneMinibatchTrialPerStepThenTheFinalCandidatesOnTheTrainset() {
        // given a small SIMBA run
        ScriptedLm task = Fixtures.answering(request -> Fixtures.number(Fixtures.question(request)) % 2 == 1);
        SimbaResult result = Simba.builder().metric(Fixtures.EXACT).bsize(4).numCandidates(2).maxSteps(2)
                .numThreads(1).promptModel(ScriptedLm.withOutputs(Map.of("discussion", "d",
                        "module_advice", "{\"self\": \"Answer carefully.\"}")))
                .build().optimize(Predict.of("question -> answer"), Fixtures.trainset(8), DspyContext.of(task));

        // when
        OptimizationReport report = result.report();

        // then the steps come first, on mini-batches, then the candidates on the whole trainset, 0-100
        assertThat(report.optimizer()).isEqualTo("SIMBA");
        assertThat(report.trials()).hasSize(result.steps().size() + result.candidates().size());
        assertThat(report.trials().subList(0, result.steps().size()))
                .allSatisfy(trial -> assertThat(trial.fullEvaluation()).isFalse());
        assertThat(report.trials().subList(result.steps().size(), report.trials().size()))
                .allSatisfy(trial -> assertThat(trial.fullEvaluation()).isTrue());
        assertThat(report.bestScore()).isEqualTo(result.bestScore() * 100);
        assertThat(report.toHtml()).contains("SIMBA");
    }

    @Test
    void randomSearchReportCarriesEachCandidatesUsage() {
        // given a random search whose candidates' evaluations record LM calls
        ScriptedLm lm = Fixtures.answering(request -> request.messages().size() > 2);
        OptimizationResult result = BootstrapFewShotWithRandomSearch.builder().metric(Fixtures.EXACT)
                .numCandidatePrograms(2).maxBootstrappedDemos(2).maxLabeledDemos(3).build()
                .search(Predict.of("question -> answer"), Fixtures.trainset(6), Fixtures.trainset(4), DspyContext.of(lm));

        // when
        OptimizationReport report = OptimizationReport.of(result);

        // then trials are in seed order (zero-shot first), each with its usage and the LM calls so far
        assertThat(report.trials()).hasSize(result.candidates().size());
        assertThat(report.trials().get(0).demos()).isZero();
        assertThat(report.trials().get(0).score()).isZero();
        assertThat(report.trials()).allMatch(t -> t.usage().isPresent());
        assertThat(report.trials()).extracting(t -> t.spendSoFar().getAsLong()).isSorted();
        assertThat(report.bestScore()).isEqualTo(100.0);
        assertThat(report.bestPrompts().get(0).demos()).isEqualTo(3);
    }

    @Test
    void htmlIsOnePageWithTheTrialsTableTheChartAndEscapedLmText() throws Exception {
        // given an LM that proposed an instruction with markup in it
        OptimizationReport report = OptimizationReport.of(
                coproRun("<script>alert('x')</script> [q=2]", "Out:"))
                .withSetting("breadth", 2)
                .withUsage(UsageTracker.create().snapshot());
        Path file = dir.resolve("out/report.html");

        // when
        report.writeHtml(file);

        // then
        String html = Files.readString(file);
        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        assertThat(html).contains("<table class=\"trials\">", "<th>breadth</th><td>2</td>",
                "<h2>Usage</h2>", "data:image/png;base64,");
        assertThat(html).doesNotContain("<script").contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; [q=2]");
        assertThat(html.split("<tr").length).isGreaterThan(3);
        // and the embedded chart decodes to an image
        Matcher png = Pattern.compile("data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        assertThat(png.find()).isTrue();
        byte[] bytes = Base64.getDecoder().decode(png.group(1));
        assertThat(ImageIO.read(new ByteArrayInputStream(bytes))).isNotNull();
        // tags are balanced for the elements the page uses
        for (String tag : List.of("table", "tr", "pre", "h2", "style", "body", "html")) {
            assertThat(count(html, "<" + tag + "[ >]")).as(tag).isEqualTo(count(html, "</" + tag + ">"));
        }
    }

    @Test
    void pngIsDrawnHeadlessWithTheScoreAndSpendSeries() throws Exception {
        // given a MIPRO-shaped report with minibatch trials and program runs
        OptimizationReport.Builder builder = OptimizationReport.builder("Custom").spendUnit("program runs");
        for (int i = 1; i <= 6; i++) {
            builder.trial(new OptimizationReport.Trial(i, 10.0 * i, i % 3 == 0, Map.of("self", "v" + i), 2,
                    OptionalLong.of(5L * i), java.util.Optional.empty()));
        }
        Path file = dir.resolve("chart.png");

        // when
        builder.best(Predict.of("question -> answer"), 60.0, ChatAdapter.DEFAULT).build().writePng(file);

        // then
        assertThat(GraphicsEnvironment.isHeadless()).as("the test JVM has no display").isTrue();
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes).startsWith(PNG_SIGNATURE);
        assertThat(bytes.length).isGreaterThan(5_000);
        var image = ImageIO.read(file.toFile());
        assertThat(image.getWidth()).isEqualTo(900);
        assertThat(image.getHeight()).isEqualTo(420);
    }

    @Test
    void aReportWithoutTrialsStillRenders() throws Exception {
        OptimizationReport report = OptimizationReport.builder("Empty").build();

        report.writePng(dir.resolve("empty.png"));
        report.writeHtml(dir.resolve("empty.html"));

        assertThat(Files.readAllBytes(dir.resolve("empty.png"))).startsWith(PNG_SIGNATURE);
        assertThat(Files.readString(dir.resolve("empty.html"))).contains("Best score: <strong>–</strong> of 0 trials");
    }

    private static int count(String text, String regex) {
        return (int) Pattern.compile(regex).matcher(text).results().count();
    }
}
