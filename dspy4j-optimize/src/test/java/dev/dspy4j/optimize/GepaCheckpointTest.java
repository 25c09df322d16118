package dev.dspy4j.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
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

/**
 * Gepa's checkpoints, on {@link GepaMergeRunTest}'s run: two predictors, children accepted and
 * rejected, and a merge.
 */
class GepaCheckpointTest {

    static Gepa.Builder settings() {
        return Gepa.builder().metric(Fixtures.EXACT).maxMetricCalls(200).seed(0).useMerge(true);
    }

    static GepaResult optimize(Gepa.Builder settings, Path dir, Lm task, Lm reflection) {
        List<Example> train = Fixtures.trainset(12);
        List<Example> val = new ArrayList<>(Fixtures.trainset(24).subList(12, 24));
        if (dir != null) {
            settings.checkpointDir(dir);
        }
        return settings.reflectionLm(reflection).build().optimize(new GepaMergeRunTest.TwoSteps(), train, val,
                DspyContext.of(task));
    }

    static GepaResult optimize(Path dir, Lm task, Lm reflection) {
        return optimize(settings(), dir, task, reflection);
    }

    @Test
    void aFinishedRunIsReplayedFromItsCheckpointWithoutAnyLmCall(@TempDir Path dir) {
        // given: a run that wrote its checkpoint
        GepaResult first = optimize(dir, GepaMergeRunTest.taskLm(), GepaMergeRunTest.reflectionLm());

        // when: the same optimization again, on the same directory
        StepLm task = new StepLm(GepaMergeRunTest.taskLm(), dir);
        StepLm reflection = new StepLm(GepaMergeRunTest.reflectionLm(), dir);
        GepaResult replayed = optimize(dir, task, reflection);

        // then: no task or reflection call, and the uninterrupted run's result
        assertThat(task.calls).isEmpty();
        assertThat(reflection.calls).isEmpty();
        assertSameResult(replayed, first);
        assertSameResult(first, optimize(null, GepaMergeRunTest.taskLm(), GepaMergeRunTest.reflectionLm()));
    }

    @Test
    void eachFinishedIterationIsRecordedWithItsOutcome(@TempDir Path dir) throws IOException {
        GepaResult result = optimize(dir, GepaMergeRunTest.taskLm(), GepaMergeRunTest.reflectionLm());

        List<String> names = StepCheckpointChild.stepFileNames(dir);
        assertThat(names.get(0)).isEqualTo("iteration-0000.json");
        String seed = Files.readString(dir.resolve(names.get(0)));
        assertThat(seed).contains("\"outcome\" : \"seed\"").contains("\"metricCalls\" : 12");
        String all = String.join("\n", names.stream().map(n -> read(dir.resolve(n))).toList());
        assertThat(all).contains("\"outcome\" : \"child accepted\"").contains("\"outcome\" : \"merge accepted\"")
                .contains("\"outcome\" : \"rejected or skipped\"");
        String last = read(dir.resolve(names.get(names.size() - 1)));
        assertThat(last).contains("\"totalMetricCalls\" : " + result.totalMetricCalls());
        assertThat(Files.exists(dir.resolve("manifest.json"))).isTrue();
    }

    @Test
    void aResumedRunRepeatsOnlyTheUnfinishedIterations(@TempDir Path dir) throws IOException {
        // given: a checkpoint of the seed evaluation and the first 5 iterations (later files deleted)
        StepLm fullTask = new StepLm(GepaMergeRunTest.taskLm(), dir);
        StepLm fullReflection = new StepLm(GepaMergeRunTest.reflectionLm(), dir);
        GepaResult full = optimize(dir, fullTask, fullReflection);
        int kept = 6;
        List<String> names = StepCheckpointChild.stepFileNames(dir);
        assertThat(names.size()).as("iterations").isGreaterThan(kept + 3);
        for (String name : names.subList(kept, names.size())) {
            Files.delete(dir.resolve(name));
        }

        // when
        StepLm task = new StepLm(GepaMergeRunTest.taskLm(), dir);
        StepLm reflection = new StepLm(GepaMergeRunTest.reflectionLm(), dir);
        GepaResult result = optimize(dir, task, reflection);

        // then: exactly the calls the full run made for the unfinished iterations, and its result
        assertThat(task.calls).isEqualTo(fullTask.callsFrom(kept)).isNotEmpty();
        assertThat(reflection.calls).isEqualTo(fullReflection.callsFrom(kept)).isNotEmpty();
        assertSameResult(result, full);
    }

    @Test
    void aRunKilledInAnotherJvmResumesWithoutRedoingFinishedIterations(@TempDir Path dir, @TempDir Path reference)
            throws Exception {
        // given: a child JVM halted at its first LM call once 4 steps were checkpointed
        int killedAfter = 4;
        Process child = new ProcessBuilder(StepCheckpointChild.command("GEPA", dir, killedAfter)).redirectErrorStream(true)
                .redirectOutput(dir.resolveSibling(dir.getFileName() + "-child.log").toFile()).start();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
        assertThat(child.exitValue()).as("child halted mid-run").isEqualTo(42);
        assertThat(StepCheckpointChild.stepFileNames(dir)).hasSize(killedAfter);

        // when: resumed in this JVM
        StepLm task = new StepLm(GepaMergeRunTest.taskLm(), dir);
        StepLm reflection = new StepLm(GepaMergeRunTest.reflectionLm(), dir);
        GepaResult result = optimize(dir, task, reflection);

        // then: the uninterrupted run's result, with only the calls of its later iterations
        StepLm expectedTask = new StepLm(GepaMergeRunTest.taskLm(), reference);
        StepLm expectedReflection = new StepLm(GepaMergeRunTest.reflectionLm(), reference);
        GepaResult expected = optimize(reference, expectedTask, expectedReflection);
        assertSameResult(result, expected);
        assertThat(task.calls).isEqualTo(expectedTask.callsFrom(killedAfter));
        assertThat(reflection.calls).isEqualTo(expectedReflection.callsFrom(killedAfter));
        assertThat(listing(dir)).isEqualTo(listing(reference));
    }

    @Test
    void aCheckpointOfOtherSettingsIsRefusedAndKept(@TempDir Path dir) throws IOException {
        optimize(dir, GepaMergeRunTest.taskLm(), GepaMergeRunTest.reflectionLm());
        List<String> before = listing(dir);

        assertThatThrownBy(() -> optimize(settings().seed(1), dir, GepaMergeRunTest.taskLm(),
                GepaMergeRunTest.reflectionLm())).isInstanceOf(CheckpointException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("different run")
                .hasMessageContaining("delete the directory");
        assertThatThrownBy(() -> optimize(settings().useMerge(false), dir, GepaMergeRunTest.taskLm(),
                GepaMergeRunTest.reflectionLm())).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("different run");
        assertThatThrownBy(() -> optimize(Gepa.builder().metric(Fixtures.EXACT).maxMetricCalls(201), dir,
                GepaMergeRunTest.taskLm(), GepaMergeRunTest.reflectionLm())).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("different run");
        assertThat(listing(dir)).isEqualTo(before);
    }

    @Test
    void aTruncatedIterationFileIsReportedByNameAndNothingIsLost(@TempDir Path dir) throws IOException {
        // given: a checkpoint whose third iteration file was cut short
        optimize(dir, GepaMergeRunTest.taskLm(), GepaMergeRunTest.reflectionLm());
        Path damaged = dir.resolve(StepCheckpoint.Kind.GEPA.file(3));
        byte[] bytes = Files.readAllBytes(damaged);
        Files.write(damaged, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        List<String> before = listing(dir);

        // when / then
        StepLm task = new StepLm(GepaMergeRunTest.taskLm(), dir);
        assertThatThrownBy(() -> optimize(dir, task, GepaMergeRunTest.reflectionLm()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(damaged.toString()).hasMessageContaining("not valid JSON")
                .hasMessageContaining("delete the directory " + dir);
        assertThat(task.calls).isEmpty();
        assertThat(listing(dir)).isEqualTo(before);
    }

    @Test
    void aMalformedOrMissingIterationFileIsReportedByName(@TempDir Path dir) throws IOException {
        optimize(dir, GepaMergeRunTest.taskLm(), GepaMergeRunTest.reflectionLm());
        Path last = dir.resolve(StepCheckpointChild.stepFileNames(dir).getLast());
        Files.writeString(last, Files.readString(last).replace("\"random\" : [", "\"random\" : [\"x\", "));

        assertThatThrownBy(() -> optimize(dir, GepaMergeRunTest.taskLm(), GepaMergeRunTest.reflectionLm()))
                .isInstanceOf(CheckpointException.class).hasMessageContaining(last.toString())
                .hasMessageContaining("start the run over");

        Files.delete(dir.resolve(StepCheckpoint.Kind.GEPA.file(2)));
        assertThatThrownBy(() -> optimize(dir, GepaMergeRunTest.taskLm(), GepaMergeRunTest.reflectionLm()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(dir.resolve(StepCheckpoint.Kind.GEPA.file(3)).toString())
                .hasMessageContaining(StepCheckpoint.Kind.GEPA.file(2) + " before it is missing");
    }

    @Test
    void aDirectoryOfOtherFilesIsNotTakenForACheckpoint(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "mine");

        assertThatThrownBy(() -> optimize(dir, GepaMergeRunTest.taskLm(), GepaMergeRunTest.reflectionLm()))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("no manifest.json");
        assertThat(Files.readString(dir.resolve("notes.txt"))).isEqualTo("mine");
    }

    static void assertSameResult(GepaResult actual, GepaResult expected) {
        assertThat(actual.candidates()).isEqualTo(expected.candidates());
        assertThat(actual.parents()).isEqualTo(expected.parents());
        assertThat(actual.valSubscores()).isEqualTo(expected.valSubscores());
        assertThat(actual.valAggregateScores()).isEqualTo(expected.valAggregateScores());
        assertThat(actual.perValInstanceBestCandidates()).isEqualTo(expected.perValInstanceBestCandidates());
        assertThat(actual.discoveryEvalCounts()).isEqualTo(expected.discoveryEvalCounts());
        assertThat(actual.totalMetricCalls()).isEqualTo(expected.totalMetricCalls());
        assertThat(actual.numFullValEvals()).isEqualTo(expected.numFullValEvals());
        assertThat(actual.bestIdx()).isEqualTo(expected.bestIdx());
        assertThat(actual.bestProgram().state()).isEqualTo(expected.bestProgram().state());
    }

    /**
     * An LM that records each request with the number of checkpointed steps at the time: a call
     * made while {@code k} step files exist belongs to step {@code k}.
     */
    static final class StepLm implements Lm {
        final Lm inner;
        final Path dir;
        final List<String> calls = new ArrayList<>();
        final List<Integer> steps = new ArrayList<>();

        StepLm(Lm inner, Path dir) {
            this.inner = inner;
            this.dir = dir;
        }

        @Override
        public synchronized LmResponse call(LmRequest request) {
            calls.add(request.messages().toString());
            steps.add(StepCheckpointChild.stepFileNames(dir).size());
            return inner.call(request);
        }

        /** The requests of steps {@code first} and later. */
        List<String> callsFrom(int first) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < calls.size(); i++) {
                if (steps.get(i) >= first) {
                    out.add(calls.get(i));
                }
            }
            return out;
        }

        @Override
        public String model() {
            return inner.model();
        }

        @Override
        public LmCapabilities capabilities() {
            return inner.capabilities();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> listing(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                out.add(file.getFileName() + " " + new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
