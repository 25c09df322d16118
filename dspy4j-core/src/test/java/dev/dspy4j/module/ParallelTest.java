package dev.dspy4j.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.run.ItemResult;
import dev.dspy4j.run.RunCancelledException;
import dev.dspy4j.run.RunResult;
import dev.dspy4j.run.RunStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParallelTest {

    private final FunctionModule keys = new FunctionModule(in -> Prediction.of(Map.of("keys", in.keys().toString())));
    private final FunctionModule upper = new FunctionModule(
            in -> Prediction.of(Map.of("text", String.valueOf(in.get("text")).toUpperCase())));
    private final FunctionModule failing = new FunctionModule(in -> {
        throw new IllegalStateException("module failed on " + in.get("text"));
    });

    @Test
    void runsEachJobWithItsOwnModuleAndReturnsResultsInJobOrder() {
        Example example = Example.of("question", "q", "answer", "a").withInputs("question");

        RunResult<Prediction> result = Parallel.ofDefaults().run(List.of(
                Parallel.Job.of(keys, example),
                Parallel.Job.of(upper, Map.of("text", "hello")),
                Parallel.Job.of(keys, Map.of())));

        assertThat(result.values()).extracting(p -> p.toMap().values().iterator().next())
                .containsExactly("[question]", "HELLO", "[]");
    }

    @Test
    void withoutAccessExamplesAnExampleIsPassedWithAllItsValues() {
        Example example = Example.of("question", "q", "answer", "a").withInputs("question");

        RunResult<Prediction> result = Parallel.builder().accessExamples(false).build()
                .run(List.of(Parallel.Job.of(keys, example)));

        assertThat(result.values()).singleElement().satisfies(p -> assertThat(p.get("keys")).isEqualTo("[question, answer]"));
    }

    @Test
    void failedJobsKeepTheirErrorsAndCanBeMappedBackToTheirExamples() {
        List<Parallel.Job> jobs = List.of(
                Parallel.Job.of(upper, Map.of("text", "a")),
                Parallel.Job.of(failing, Map.of("text", "b")),
                Parallel.Job.of(upper, Map.of("text", "c")));

        RunResult<Prediction> result = Parallel.builder().maxErrors(2).provideTraceback(true).build().run(jobs);

        // DSPy's return_failed_examples: the failed inputs and their exceptions
        List<Example> failedExamples = new ArrayList<>();
        result.failures().forEach(failure -> failedExamples.add(jobs.get(failure.index()).input()));
        assertThat(failedExamples).containsExactly(Example.of("text", "b").withInputs("text"));
        assertThat(result.failures()).singleElement()
                .satisfies(failure -> assertThat(failure.error()).hasMessage("module failed on b"));
        assertThat(result.values()).extracting(p -> p.get("text")).containsExactly("A", "C");
    }

    @Test
    void theMaxErrorsThFailureCancelsTheRestAndRaisesAsDspyDoes() {
        List<Parallel.Job> jobs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            jobs.add(Parallel.Job.of(failing, Map.of("text", "t" + i)));
        }

        assertThatThrownBy(() -> Parallel.builder().concurrency(2).maxErrors(3).build().run(jobs))
                .isInstanceOfSatisfying(RunCancelledException.class, e -> {
                    assertThat(e.status()).isEqualTo(RunStatus.MAX_ERRORS);
                    assertThat(e.result().failed()).isEqualTo(3);
                    assertThat(e.result().items().get(99)).isInstanceOf(ItemResult.Cancelled.class);
                });
        assertThat(failing.threads).noneMatch(Thread::isAlive);
    }

    @Test
    void settingsAreCheckedAsTheyAreSet() {
        assertThatThrownBy(() -> Parallel.builder().concurrency(0)).hasMessageContaining("concurrency");
        assertThatThrownBy(() -> Parallel.builder().maxErrors(0)).hasMessageContaining("maxErrors");
        assertThat(Parallel.builder().concurrency(3).build().toString()).contains("Parallel", "concurrency=3");
    }
}
