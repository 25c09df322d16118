package dev.dspy4j.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.module.Predict;
import dev.dspy4j.testkit.ScriptedLm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Simba's checkpoints: 6 steps over 10 examples (a reshuffle), with demos and rules appended. */
class SimbaCheckpointTest {

    private static final String ADVICE = "[[ ## discussion ## ]]\nThe worse run guessed.\n\n[[ ## module_advice ## ]]\n"
            + "{\"self\": \"Copy the number of the question.\"}\n\n[[ ## completed ## ]]";

    /** Right when the question's number plus the rollout id is even: sampled runs of one example disagree. */
    static ScriptedLm taskLm() {
        return Fixtures.answering(request -> {
            Integer rollout = request.options().rolloutId();
            return (Fixtures.number(Fixtures.question(request)) + (rollout == null ? 0 : rollout)) % 2 == 0;
        });
    }

    static ScriptedLm promptLm() {
        return ScriptedLm.answering(request -> ADVICE);   // every call: a resumed run must see what the first saw
    }

    static Simba.Builder settings() {
        return Simba.builder().metric(Fixtures.EXACT).bsize(4).numCandidates(2).maxSteps(6).maxDemos(2)
                .numThreads(1).seed(1);
    }

    static SimbaResult optimize(Simba.Builder settings, Path dir, Lm task, Lm prompt) {
        if (dir != null) {
            settings.checkpointDir(dir);
        }
        return settings.promptModel(prompt).build().optimize(Predict.of("question -> answer"), Fixtures.trainset(10),
                DspyContext.of(task));
    }

    static SimbaResult optimize(Path dir, Lm task, Lm prompt) {
        return optimize(settings(), dir, task, prompt);
    }

    @Test
    void aFinishedRunRepeatsOnlyItsFinalEvaluation(@TempDir Path dir) {
        // given: a run that wrote its checkpoint
        SimbaResult first = optimize(dir, taskLm(), promptLm());
        assertThat(first.steps()).flatExtracting(SimbaResult.Step::strategies)
                .contains("append_a_demo", "append_a_rule");

        // when: the same optimization again, on the same directory
        GepaCheckpointTest.StepLm task = new GepaCheckpointTest.StepLm(taskLm(), dir);
        GepaCheckpointTest.StepLm prompt = new GepaCheckpointTest.StepLm(promptLm(), dir);
        SimbaResult replayed = optimize(dir, task, prompt);

        // then: no sampling, feedback or candidate call; only the final trainset evaluation
        assertThat(prompt.calls).isEmpty();
        int finalists = replayed.candidates().size();
        assertThat(task.calls).hasSize(finalists * 10);
        assertSameResult(replayed, first);
        assertSameResult(first, optimize(null, taskLm(), promptLm()));
    }

    @Test
    void aResumedRunRepeatsOnlyTheUnfinishedSteps(@TempDir Path dir) throws IOException {
        // given: a checkpoint of the first 3 steps (later files deleted, as if killed there)
        GepaCheckpointTest.StepLm fullTask = new GepaCheckpointTest.StepLm(taskLm(), dir);
        GepaCheckpointTest.StepLm fullPrompt = new GepaCheckpointTest.StepLm(promptLm(), dir);
        SimbaResult full = optimize(dir, fullTask, fullPrompt);
        List<String> names = StepCheckpointChild.stepFileNames(dir);
        assertThat(names).hasSize(6);
        for (String name : names.subList(3, 6)) {
            Files.delete(dir.resolve(name));
        }

        // when
        GepaCheckpointTest.StepLm task = new GepaCheckpointTest.StepLm(taskLm(), dir);
        GepaCheckpointTest.StepLm prompt = new GepaCheckpointTest.StepLm(promptLm(), dir);
        SimbaResult result = optimize(dir, task, prompt);

        // then: the full run's calls of steps 3 to 5 and of the final evaluation, and its result
        assertThat(task.calls).isEqualTo(fullTask.callsFrom(3));
        assertThat(prompt.calls).isEqualTo(fullPrompt.callsFrom(3));
        assertSameResult(result, full);
    }

    @Test
    void aRunKilledInAnotherJvmResumesWithoutRedoingFinishedSteps(@TempDir Path dir, @TempDir Path reference)
            throws Exception {
        // given: a child JVM halted at its first LM call once 2 steps were checkpointed
        int killedAfter = 2;
        Process child = new ProcessBuilder(StepCheckpointChild.command("SIMBA", dir, killedAfter))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolveSibling(dir.getFileName() + "-child.log").toFile()).start();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
        assertThat(child.exitValue()).as("child halted mid-run").isEqualTo(42);
        assertThat(StepCheckpointChild.stepFileNames(dir)).hasSize(killedAfter);

        // when: resumed in this JVM
        GepaCheckpointTest.StepLm task = new GepaCheckpointTest.StepLm(taskLm(), dir);
        GepaCheckpointTest.StepLm prompt = new GepaCheckpointTest.StepLm(promptLm(), dir);
        SimbaResult result = optimize(dir, task, prompt);

        // then: the uninterrupted run's result, with only the calls of its later steps
        GepaCheckpointTest.StepLm expectedTask = new GepaCheckpointTest.StepLm(taskLm(), reference);
        GepaCheckpointTest.StepLm expectedPrompt = new GepaCheckpointTest.StepLm(promptLm(), reference);
        SimbaResult expected = optimize(reference, expectedTask, expectedPrompt);
        assertSameResult(result, expected);
        assertThat(task.calls).isEqualTo(expectedTask.callsFrom(killedAfter));
        assertThat(prompt.calls).isEqualTo(expectedPrompt.callsFrom(killedAfter));
        assertThat(GepaCheckpointTest.listing(dir)).isEqualTo(GepaCheckpointTest.listing(reference));
    }

    @Test
    void aCheckpointOfOtherSettingsIsRefusedAndKept(@TempDir Path dir) throws IOException {
        optimize(dir, taskLm(), promptLm());
        List<String> before = GepaCheckpointTest.listing(dir);

        assertThatThrownBy(() -> optimize(settings().seed(2), dir, taskLm(), promptLm()))
                .isInstanceOf(CheckpointException.class).hasMessageContaining(dir.toString())
                .hasMessageContaining("different run").hasMessageContaining("delete the directory");
        assertThatThrownBy(() -> optimize(settings().bsize(5), dir, taskLm(), promptLm()))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("different run");
        assertThat(GepaCheckpointTest.listing(dir)).isEqualTo(before);
    }

    @Test
    void aTruncatedStepFileIsReportedByNameAndNothingIsLost(@TempDir Path dir) throws IOException {
        optimize(dir, taskLm(), promptLm());
        Path damaged = dir.resolve(StepCheckpoint.Kind.SIMBA.file(2));
        byte[] bytes = Files.readAllBytes(damaged);
        Files.write(damaged, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        List<String> before = GepaCheckpointTest.listing(dir);

        GepaCheckpointTest.StepLm task = new GepaCheckpointTest.StepLm(taskLm(), dir);
        assertThatThrownBy(() -> optimize(dir, task, promptLm())).isInstanceOf(CheckpointException.class)
                .hasMessageContaining(damaged.toString()).hasMessageContaining("not valid JSON")
                .hasMessageContaining("delete the directory " + dir);
        assertThat(task.calls).isEmpty();
        assertThat(GepaCheckpointTest.listing(dir)).isEqualTo(before);
    }

    @Test
    void aMalformedStepFileIsReportedByName(@TempDir Path dir) throws IOException {
        optimize(dir, taskLm(), promptLm());
        Path file = dir.resolve(StepCheckpoint.Kind.SIMBA.file(1));
        Files.writeString(file, Files.readString(file).replace("\"programs\" : [", "\"programs\" : [ 7, "));

        assertThatThrownBy(() -> optimize(dir, taskLm(), promptLm())).isInstanceOf(CheckpointException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("start the run over");
    }

    static void assertSameResult(SimbaResult actual, SimbaResult expected) {
        assertThat(actual.bestProgram().state()).isEqualTo(expected.bestProgram().state());
        assertThat(actual.bestProgram().state().toJson()).isEqualTo(expected.bestProgram().state().toJson());
        assertThat(actual.bestScore()).isEqualTo(expected.bestScore());
        assertThat(actual.steps()).isEqualTo(expected.steps());
        assertThat(actual.failedRuns()).isEqualTo(expected.failedRuns());
        assertThat(actual.candidates()).extracting(SimbaResult.Candidate::score)
                .isEqualTo(expected.candidates().stream().map(SimbaResult.Candidate::score).toList());
        assertThat(actual.candidates()).extracting(c -> c.program().state())
                .isEqualTo(expected.candidates().stream().map(c -> c.program().state()).toList());
    }
}
