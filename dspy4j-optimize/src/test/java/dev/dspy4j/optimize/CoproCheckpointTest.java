package dev.dspy4j.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.testkit.ScriptedLm;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoproCheckpointTest {

    private static final Pattern QUALITY = Pattern.compile("\\[q=(\\d+)]");
    private static final List<Example> TRAIN = Fixtures.trainset(4);
    /** Program runs (one task-LM call each) of one evaluation on {@link #TRAIN}. */
    private static final int RUNS = TRAIN.size();

    /** Breadth 3, depth 3, one predictor: 3 proposal calls and 9 evaluations of 4 examples. */
    static Copro.Builder settings() {
        return Copro.builder().metric(Fixtures.EXACT).breadth(3).depth(3).trackStats(true).evaluationConcurrency(1);
    }

    /** Answers question {@code qN} right when {@code N <= q}, q being the instructions' {@code [q=…]} marker. */
    static ScriptedLm taskLm() {
        return Fixtures.answering(request -> {
            Matcher m = QUALITY.matcher(request.messages().get(0).text());
            int quality = m.find() ? Integer.parseInt(m.group(1)) : 0;
            return Fixtures.number(Fixtures.question(request)) <= quality;
        });
    }

    /**
     * Proposes {@code n} instructions better than the best it is shown: markers {@code [q=max+1]}
     * and up. Replies from the request alone, so a resumed run that skips calls gets the same ones.
     */
    static ScriptedLm promptLm() {
        return ScriptedLm.responding(request -> {
            String text = request.messages().stream().map(m -> m.text()).collect(Collectors.joining("\n"));
            Matcher m = QUALITY.matcher(text);
            int max = 0;
            while (m.find()) {
                max = Math.max(max, Integer.parseInt(m.group(1)));
            }
            List<String> out = new ArrayList<>();
            for (int k = 1; k <= request.options().nOrOne(); k++) {
                Map<String, Object> outputs = new LinkedHashMap<>();
                outputs.put("proposed_instruction", "\"Answer [q=" + (max + k) + "].\" ");
                outputs.put("proposed_prefix_for_output_field", "A" + (max + k) + ":");
                out.add(ScriptedLm.chatCompletion(outputs));
            }
            return LmResponse.ofTexts(out);
        });
    }

    static CoproResult optimize(Path dir, Lm task, Lm prompt) {
        return settings().checkpointDir(dir).promptModel(prompt).build()
                .optimize(Predict.of("question -> answer"), TRAIN, DspyContext.of(task));
    }

    static CoproResult uninterrupted() {
        return settings().promptModel(promptLm()).build()
                .optimize(Predict.of("question -> answer"), TRAIN, DspyContext.of(taskLm()));
    }

    @Test
    void aFinishedRunIsReplayedFromItsCheckpointWithoutAnyLmCall(@TempDir Path dir) {
        // given: a run that wrote its checkpoint
        CoproResult first = optimize(dir, taskLm(), promptLm());
        assertThat(CoproCheckpointChild.stepFiles(dir, "proposals-")).isEqualTo(3);
        assertThat(CoproCheckpointChild.stepFiles(dir, "score-")).isEqualTo(9);

        // when: the same optimization again, on the same directory
        ScriptedLm task = taskLm();
        ScriptedLm prompt = promptLm();
        CoproResult replayed = optimize(dir, task, prompt);

        // then: no proposal or evaluation call, and the same result
        assertThat(task.callCount()).isZero();
        assertThat(prompt.callCount()).isZero();
        assertSameResult(replayed, first);
        assertSameResult(first, uninterrupted());
        assertThat(first.bestScore()).isEqualTo(100.0);
    }

    @Test
    void aResumedRunMakesOnlyTheUnfinishedCalls(@TempDir Path dir) throws IOException {
        // given: a checkpoint without the last evaluation of depth 1 and anything of depth 2
        CoproResult full = optimize(dir, taskLm(), promptLm());
        Files.delete(dir.resolve(CoproCheckpoint.scoreFile(1, 0, 2)));
        Files.delete(dir.resolve(CoproCheckpoint.proposalsFile(2, 0)));
        for (int c = 0; c < 3; c++) {
            Files.delete(dir.resolve(CoproCheckpoint.scoreFile(2, 0, c)));
        }

        // when
        ScriptedLm task = taskLm();
        ScriptedLm prompt = promptLm();
        CoproResult result = optimize(dir, task, prompt);

        // then: one proposal call, four evaluations, the same result, and the checkpoint whole again
        assertThat(prompt.callCount()).isEqualTo(1);
        assertThat(task.callCount()).isEqualTo(4 * RUNS);
        assertSameResult(result, full);
        assertThat(CoproCheckpointChild.stepFiles(dir, "")).isEqualTo(12);
    }

    @Test
    void aRunKilledInAnotherJvmResumesWithoutRedoingFinishedWork(@TempDir Path dir) throws Exception {
        // given: a child JVM halted at its first LM call after 6 steps were checkpointed (two
        // proposal calls, four evaluations: in the middle of depth 1)
        int killedAfter = 6;
        Process child = new ProcessBuilder(javaCommand(dir, killedAfter)).redirectErrorStream(true)
                .redirectOutput(dir.resolveSibling(dir.getFileName() + "-child.log").toFile()).start();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
        assertThat(child.exitValue()).as("child halted mid-run").isEqualTo(42);
        long proposals = CoproCheckpointChild.stepFiles(dir, "proposals-");
        long scores = CoproCheckpointChild.stepFiles(dir, "score-");
        assertThat(proposals + scores).isEqualTo(killedAfter);

        // when: resumed in this JVM
        ScriptedLm task = taskLm();
        ScriptedLm prompt = promptLm();
        CoproResult result = optimize(dir, task, prompt);

        // then: the finished steps were not done again, and the result is the uninterrupted one
        assertThat(prompt.callCount()).isEqualTo(3 - proposals);
        assertThat(task.callCount()).isEqualTo((9 - scores) * RUNS);
        assertSameResult(result, uninterrupted());
    }

    @Test
    void aRunOfTwoPredictorsIsReplayedWithoutAnyLmCall(@TempDir Path dir) {
        Copro copro = settings().depth(2).checkpointDir(dir).promptModel(promptLm()).build();
        CoproResult first = copro.optimize(new CoproTest.TwoPredictors(), TRAIN, DspyContext.of(taskLm()));

        ScriptedLm task = taskLm();
        ScriptedLm prompt = promptLm();
        CoproResult replayed = settings().depth(2).checkpointDir(dir).promptModel(prompt).build()
                .optimize(new CoproTest.TwoPredictors(), TRAIN, DspyContext.of(task));

        assertThat(task.callCount() + prompt.callCount()).isZero();
        assertSameResult(replayed, first);
        assertThat(CoproCheckpointChild.stepFiles(dir, "proposals-d1-p1")).isEqualTo(1);
    }

    @Test
    void aCheckpointOfOtherSettingsDataOrProgramIsRefusedNamingTheDifference(@TempDir Path dir) throws IOException {
        optimize(dir, taskLm(), promptLm());
        List<String> before = listing(dir);

        assertThatThrownBy(() -> settings().depth(2).checkpointDir(dir).promptModel(promptLm()).build()
                .optimize(Predict.of("question -> answer"), TRAIN, DspyContext.of(taskLm())))
                .isInstanceOf(CheckpointException.class).hasMessageContaining(dir.toString())
                .hasMessageContaining("different run").hasMessageContaining("the settings (checkpoint: breadth=3, "
                        + "depth=3").hasMessageContaining("this run: breadth=3, depth=2")
                .hasMessageNotContaining("trainset").hasMessageContaining("delete the directory");
        assertThatThrownBy(() -> settings().checkpointDir(dir).promptModel(promptLm()).build()
                .optimize(Predict.of("question -> answer"), Fixtures.trainset(5), DspyContext.of(taskLm())))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("the trainset differ")
                .hasMessageNotContaining("settings");
        assertThatThrownBy(() -> settings().checkpointDir(dir).promptModel(promptLm()).build()
                .optimize(Predict.of("question -> answer, reason"), TRAIN, DspyContext.of(taskLm())))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("the program differ");
        assertThat(listing(dir)).isEqualTo(before);
    }

    @Test
    void aTruncatedScoreFileIsReportedByNameBeforeAnyLmCall(@TempDir Path dir) throws IOException {
        // given: a checkpoint whose evaluation file was cut short
        optimize(dir, taskLm(), promptLm());
        Path damaged = dir.resolve(CoproCheckpoint.scoreFile(1, 0, 1));
        byte[] bytes = Files.readAllBytes(damaged);
        Files.write(damaged, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        List<String> before = listing(dir);

        // when / then
        ScriptedLm task = taskLm();
        ScriptedLm prompt = promptLm();
        assertThatThrownBy(() -> optimize(dir, task, prompt)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining(damaged.toString()).hasMessageContaining("not valid JSON")
                .hasMessageContaining("delete the directory " + dir);
        assertThat(task.callCount() + prompt.callCount()).isZero();
        assertThat(listing(dir)).isEqualTo(before);
    }

    @Test
    void aMalformedFileIsReportedByName(@TempDir Path dir) throws IOException {
        optimize(dir, taskLm(), promptLm());
        Path scores = dir.resolve(CoproCheckpoint.scoreFile(0, 0, 0));
        Files.writeString(scores, Files.readString(scores).replaceFirst("\"score\" : [0-9.]+", "\"score\" : \"high\""));

        assertThatThrownBy(() -> optimize(dir, taskLm(), promptLm())).isInstanceOf(CheckpointException.class)
                .hasMessageContaining(scores.toString()).hasMessageContaining("no numeric score")
                .hasMessageContaining("start the run over");

        Files.delete(scores);
        Path proposals = dir.resolve(CoproCheckpoint.proposalsFile(1, 0));
        Files.writeString(proposals, "{\"depth\": 1, \"predictor\": \"self\", \"candidates\": 7}");
        assertThatThrownBy(() -> optimize(dir, taskLm(), promptLm())).isInstanceOf(CheckpointException.class)
                .hasMessageContaining(proposals.toString()).hasMessageContaining("no list of candidates");
    }

    @Test
    void aDirectoryOfOtherFilesIsNotTakenForACheckpoint(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "mine");

        assertThatThrownBy(() -> optimize(dir, taskLm(), promptLm())).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("no manifest.json");
        assertThat(Files.readString(dir.resolve("notes.txt"))).isEqualTo("mine");
    }

    private static void assertSameResult(CoproResult actual, CoproResult expected) {
        assertThat(actual.bestScore()).isEqualTo(expected.bestScore());
        assertThat(actual.bestProgram().state().toJson()).isEqualTo(expected.bestProgram().state().toJson());
        assertThat(actual.evaluations()).isEqualTo(expected.evaluations());
        assertThat(actual.budgetExhausted()).isEqualTo(expected.budgetExhausted());
        assertThat(describe(actual)).isEqualTo(describe(expected));
        assertThat(actual.bestStatistics()).isEqualTo(expected.bestStatistics());
        assertThat(actual.latestStatistics()).isEqualTo(expected.latestStatistics());
    }

    private static List<String> describe(CoproResult result) {
        return result.candidates().stream().map(c -> c.predictor() + " " + c.depth() + " " + c.instruction() + " "
                + c.prefix() + " " + c.score() + " " + c.program().state().toJson()).toList();
    }

    private static List<String> listing(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                out.add(file.getFileName() + " " + new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** This JVM's test classpath (class path and module path together) on a plain class path. */
    private static List<String> javaCommand(Path dir, int haltAfter) {
        List<String> path = new ArrayList<>();
        for (String property : List.of("java.class.path", "jdk.module.path")) {
            String value = System.getProperty(property);
            if (value != null && !value.isEmpty()) {
                path.add(value);
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-cp", String.join(File.pathSeparator, path), CoproCheckpointChild.class.getName(),
                dir.toString(), Integer.toString(haltAfter));
    }
}
