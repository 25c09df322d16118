package dev.dspy4j.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.module.Predict;
import dev.dspy4j.testkit.ScriptedLm;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MiproV2CheckpointTest {

    /** Few-shot with minibatches: 4 demo sets and proposals, 8 trials on minibatches of 3, full evaluations. */
    static MiproV2.Builder settings() {
        return MiproV2.builder().metric(Fixtures.EXACT).maxBootstrappedDemos(2).maxLabeledDemos(2)
                .auto(MiproV2.Auto.OFF).numCandidates(4).numTrials(8).minibatchSize(3).seed(3).concurrency(1);
    }

    /** Right on odd questions when shown demos, and on every question under proposal 2. */
    static ScriptedLm lm() {
        return MiproV2Test.lm(request -> request.messages().get(0).text().contains("proposal 2")
                || request.messages().size() > 2 && Fixtures.number(Fixtures.question(request)) % 2 == 1);
    }

    static MiproResult search(Path dir, Lm lm) {
        return settings().checkpointDir(dir).build().search(Predict.of("question -> answer"), Fixtures.trainset(8),
                Fixtures.trainset(6), DspyContext.of(lm).withAdapter(ChatAdapter.DEFAULT));
    }

    static MiproResult uninterrupted() {
        return settings().build().search(Predict.of("question -> answer"), Fixtures.trainset(8),
                Fixtures.trainset(6), DspyContext.of(lm()).withAdapter(ChatAdapter.DEFAULT));
    }

    @Test
    void aFinishedRunIsReplayedFromItsCheckpointWithoutAnyLmCall(@TempDir Path dir) {
        // given: a run that wrote its checkpoint
        MiproResult first = search(dir, lm());

        // when: the same search again, on the same directory
        ScriptedLm second = lm();
        MiproResult replayed = search(dir, second);

        // then: no bootstrap, proposer or evaluation call, and the same result
        assertThat(second.callCount()).isZero();
        assertSameResult(replayed, first);
        assertSameResult(first, uninterrupted());
    }

    @Test
    void aResumedRunEvaluatesOnlyTheUnfinishedTrials(@TempDir Path dir) throws IOException {
        // given: a checkpoint of the first 5 evaluations (later ones deleted, as if killed there)
        MiproResult full = search(dir, lm());
        List<MiproTrial> unfinished = full.trials().subList(5, full.trials().size());
        int runs = runsAfter(full, 5);
        for (MiproTrial trial : unfinished) {
            Files.delete(dir.resolve(MiproCheckpoint.trialFile(trial.number())));
        }

        // when
        ScriptedLm resumed = lm();
        MiproResult result = search(dir, resumed);

        // then: one LM call per program run of the unfinished evaluations only, and the same result
        assertThat(resumed.callCount()).isEqualTo(runs);
        assertSameResult(result, full);
        // and only the trials evaluated again have usage: the checkpoint keeps none
        assertThat(result.trials().subList(0, 5)).allMatch(t -> t.usage().models().isEmpty());
        assertThat(result.trials().subList(5, result.trials().size()))
                .allMatch(t -> t.usage().total().calls() > 0);
        assertThat(result.report().trials().subList(0, 5)).allMatch(t -> t.usage().isEmpty());
    }

    @Test
    void aRunKilledInAnotherJvmResumesWithoutRedoingFinishedTrials(@TempDir Path dir) throws Exception {
        // given: a child JVM halted at its first LM call after 4 evaluations were checkpointed
        int killedAfter = 4;
        Process child = new ProcessBuilder(javaCommand(dir, killedAfter)).redirectErrorStream(true)
                .redirectOutput(dir.resolveSibling(dir.getFileName() + "-child.log").toFile()).start();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
        assertThat(child.exitValue()).as("child halted mid-run").isEqualTo(42);
        assertThat(MiproCheckpointChild.trialFiles(dir)).isEqualTo(killedAfter);

        // when: resumed in this JVM
        ScriptedLm resumed = lm();
        MiproResult result = search(dir, resumed);

        // then: the finished evaluations were not run again, and the result is the uninterrupted one
        MiproResult expected = uninterrupted();
        int runs = runsAfter(expected, killedAfter);
        assertThat(resumed.callCount()).isEqualTo(runs);
        assertSameResult(result, expected);
    }

    @Test
    void aCheckpointOfOtherSettingsIsRefusedAndKept(@TempDir Path dir) throws IOException {
        search(dir, lm());
        List<String> before = listing(dir);

        assertThatThrownBy(() -> settings().seed(4).checkpointDir(dir).build().search(Predict.of("question -> answer"),
                Fixtures.trainset(8), Fixtures.trainset(6), DspyContext.of(lm()).withAdapter(ChatAdapter.DEFAULT)))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("different run")
                .hasMessageContaining("delete the directory");
        assertThatThrownBy(() -> settings().checkpointDir(dir).build().search(Predict.of("question -> answer"),
                Fixtures.trainset(8), Fixtures.trainset(7), DspyContext.of(lm()).withAdapter(ChatAdapter.DEFAULT)))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("different run");
        assertThat(listing(dir)).isEqualTo(before);
    }

    @Test
    void aTruncatedTrialFileIsReportedByNameAndNothingIsLost(@TempDir Path dir) throws IOException {
        // given: a checkpoint whose third trial file was cut short
        search(dir, lm());
        Path damaged = dir.resolve(MiproCheckpoint.trialFile(3));
        byte[] bytes = Files.readAllBytes(damaged);
        Files.write(damaged, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        List<String> before = listing(dir);

        // when / then
        ScriptedLm lm = lm();
        assertThatThrownBy(() -> search(dir, lm)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining(damaged.toString()).hasMessageContaining("not valid JSON")
                .hasMessageContaining("delete the directory " + dir);
        assertThat(lm.callCount()).isZero();
        assertThat(listing(dir)).isEqualTo(before);
    }

    @Test
    void aMalformedProposalsFileIsReportedByName(@TempDir Path dir) throws IOException {
        search(dir, lm());
        Files.writeString(dir.resolve("proposals.json"), "{\"instructions\": 7}");

        assertThatThrownBy(() -> search(dir, lm())).isInstanceOf(CheckpointException.class)
                .hasMessageContaining(dir.resolve("proposals.json").toString())
                .hasMessageContaining("start the run over");
    }

    @Test
    void aDirectoryOfOtherFilesIsNotTakenForACheckpoint(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "mine");

        assertThatThrownBy(() -> search(dir, lm())).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("no manifest.json");
        assertThat(Files.readString(dir.resolve("notes.txt"))).isEqualTo("mine");
    }

    private static void assertSameResult(MiproResult actual, MiproResult expected) {
        // usage aside: trials read back from a checkpoint have none
        assertThat(withoutUsage(actual.trials())).isEqualTo(withoutUsage(expected.trials()));
        assertThat(actual.bestScore()).isEqualTo(expected.bestScore());
        assertThat(actual.bestProgram().state().toJson()).isEqualTo(expected.bestProgram().state().toJson());
        assertThat(actual.bestProgram().state()).isEqualTo(expected.bestProgram().state());
        assertThat(actual.instructionCandidates()).isEqualTo(expected.instructionCandidates());
        assertThat(actual.demoCandidates()).isEqualTo(expected.demoCandidates());
    }

    private static List<MiproTrial> withoutUsage(List<MiproTrial> trials) {
        return trials.stream().map(t -> new MiproTrial(t.number(), t.params(), t.instructions(), t.score(),
                t.fullEvaluation(), t.evaluationCallsSoFar())).toList();
    }

    /** Program runs (one LM call each here) of the evaluations after the first {@code finished}. */
    private static int runsAfter(MiproResult result, int finished) {
        List<MiproTrial> trials = result.trials();
        return trials.get(trials.size() - 1).evaluationCallsSoFar() - trials.get(finished - 1).evaluationCallsSoFar();
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
        return List.of(java, "-cp", String.join(File.pathSeparator, path), MiproCheckpointChild.class.getName(),
                dir.toString(), Integer.toString(haltAfter));
    }
}
