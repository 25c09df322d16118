package dev.dspy4j.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.DspyException;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.run.ItemResult;
import dev.dspy4j.run.RunCancelledException;
import dev.dspy4j.run.RunResult;
import dev.dspy4j.run.RunStatus;
import dev.dspy4j.run.Runner;
import dev.dspy4j.trace.DspyListener;
import dev.dspy4j.trace.Span;
import dev.dspy4j.trace.SpanKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BatchAndCallAsyncTest {

    /** Doubles {@code n}; fails for every seventh number. */
    private final FunctionModule doubler = new FunctionModule(in -> {
        int n = (Integer) in.get("n");
        if (n % 7 == 6) {
            throw new IllegalArgumentException("no double for " + n);
        }
        return Prediction.of(Map.of("double", 2 * n));
    });

    private static List<Example> numbers(int count) {
        List<Example> examples = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            examples.add(Example.of("n", n, "label", "x").withInputs("n"));
        }
        return examples;
    }

    @Test
    void batchOfAThousandExamplesGivesEveryPredictionOrErrorInInputOrder() {
        RunResult<Prediction> result = doubler.batch(numbers(1000),
                Runner.builder().concurrency(32).maxErrors(Integer.MAX_VALUE).build());

        assertThat(result.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.items()).hasSize(1000);
        assertThat(result.failed()).isEqualTo(142);
        for (ItemResult<Prediction> item : result.items()) {
            int n = item.index();
            switch (item) {
                case ItemResult.Succeeded<Prediction> ok -> assertThat(ok.value().get("double")).isEqualTo(2 * n);
                case ItemResult.Failed<Prediction> failed -> {
                    assertThat(n % 7).isEqualTo(6);
                    assertThat(failed.error()).hasMessage("no double for " + n);
                }
                case ItemResult.Cancelled<Prediction> cancelled -> throw new AssertionError("cancelled " + n);
            }
        }
        assertThat(doubler.threads).noneMatch(Thread::isAlive);
    }

    @Test
    void batchStopsAtTheMaxErrorsThFailureLikeDspyAndKeepsWhatFinished() {
        assertThatThrownBy(() -> doubler.batch(numbers(1000), Runner.builder().concurrency(8).maxErrors(5).build()))
                .isInstanceOfSatisfying(RunCancelledException.class, e -> {
                    RunResult<?> partial = e.result();
                    assertThat(e.status()).isEqualTo(RunStatus.MAX_ERRORS);
                    assertThat(partial.failed()).isEqualTo(5);
                    assertThat(partial.items()).extracting(ItemResult::index)
                            .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 1000).boxed().toList());
                    // failures are counted as they complete, so which five depends on timing
                    assertThat(partial.failures()).hasSize(5)
                            .allSatisfy(failure -> assertThat(failure.index() % 7).isEqualTo(6));
                    assertThat(partial.items().get(999)).isInstanceOf(ItemResult.Cancelled.class);
                    assertThat(e.getMessage()).contains("no double for");
                });
        assertThat(doubler.threads).noneMatch(Thread::isAlive);
    }

    @Test
    void batchUsesTheDefaultsOfDspyAndRunsOnDeclaredInputsOnly() {
        FunctionModule echo = new FunctionModule(in -> Prediction.of(Map.of("keys", in.keys().toString())));

        RunResult<Prediction> result = echo.batch(numbers(3));
        RunResult<Prediction> fromMaps = echo.batchInputs(List.of(Map.of("a", 1), Map.of("b", 2)), Runner.defaults());

        assertThat(result.values()).extracting(p -> p.get("keys")).containsOnly("[n]");
        assertThat(fromMaps.values()).extracting(p -> p.get("keys")).containsExactly("[a]", "[b]");
    }

    @Test
    void anExampleWithoutDeclaredInputsFailsItsOwnItem() {
        RunResult<Prediction> result = doubler.batch(List.of(Example.of("n", 1)),
                Runner.builder().maxErrors(Integer.MAX_VALUE).build());

        assertThat(result.failures()).singleElement()
                .satisfies(failure -> assertThat(failure.error()).isInstanceOf(DspyException.class)
                        .hasMessageContaining("withInputs"));
    }

    @Test
    void batchRunsWithTheCallersContext() {
        DspyListener marker = new DspyListener() { };
        DspyContext context = DspyContext.empty().withListener(marker);
        // the module sees the caller's context (derived with its own span and predictor paths)
        FunctionModule seeing = new FunctionModule(in -> Prediction.of(Map.of("same",
                DspyContext.current().listeners().equals(List.of(marker)))));

        RunResult<Prediction> result;
        try (var scope = context.bind()) {
            result = seeing.batch(numbers(20));
        }

        assertThat(result.values()).extracting(p -> p.get("same")).containsOnly(true).hasSize(20);
    }

    @Test
    void callAsyncRunsOnAnotherThreadWithTheBoundContext() throws Exception {
        DspyListener marker = new DspyListener() { };
        DspyContext context = DspyContext.empty().withListener(marker);
        AtomicReference<DspyContext> seen = new AtomicReference<>();
        FunctionModule program = new FunctionModule(in -> {
            seen.set(DspyContext.current());
            return Prediction.of(Map.of("answer", "a" + in.get("q")));
        });

        CompletableFuture<Prediction> future;
        try (var scope = context.bind()) {
            future = program.callAsync(Map.of("q", 1));
        }
        Prediction explicit = program.callAsync(Map.of("q", 2), context).get(10, TimeUnit.SECONDS);

        assertThat(future.get(10, TimeUnit.SECONDS).get("answer")).isEqualTo("a1");
        assertThat(explicit.get("answer")).isEqualTo("a2");
        assertThat(seen.get().listeners()).containsExactly(marker);
        assertThat(program.threads).doesNotContain(Thread.currentThread());
    }

    @Test
    void cancellingACallAsyncFutureInterruptsTheCall() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        FunctionModule blocking = new FunctionModule(in -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
            return Prediction.of(Map.of());
        });

        CompletableFuture<Prediction> future = blocking.callAsync(Map.of("q", 1), DspyContext.empty());
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(future.cancel(true)).isTrue();
        for (Thread thread : blocking.threads) {
            thread.join();
        }

        assertThat(interrupted).isTrue();
        assertThat(future).isCancelled();
        assertThatThrownBy(future::join).isInstanceOf(CancellationException.class);
    }

    @Test
    void aFailedCallAsyncCompletesExceptionallyWithTheError() {
        CompletableFuture<Prediction> future = doubler.callAsync(Map.of("n", 6), DspyContext.empty());

        assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    record Question(int n) {}

    record Doubled(int n, int doubled) {}

    @Test
    void typedModulesBatchAndCallAsyncWithRecords() throws Exception {
        FunctionModule body = new FunctionModule(in -> {
            int n = (Integer) in.get("n");
            if (n < 0) {
                throw new IllegalArgumentException("negative");
            }
            return Prediction.of(Map.of("n", n, "doubled", 2 * n));
        });
        TypedModule<Question, Doubled> typed = new TypedModule<>(body, Question.class, Doubled.class);

        RunResult<Doubled> result = typed.batch(List.of(new Question(1), new Question(-1), new Question(3)));
        Doubled async = typed.callAsync(new Question(5), DspyContext.empty()).get(10, TimeUnit.SECONDS);

        assertThat(result.values()).containsExactly(new Doubled(1, 2), new Doubled(3, 6));
        assertThat(result.failures()).extracting(ItemResult.Failed::index).containsExactly(1);
        assertThat(async).isEqualTo(new Doubled(5, 10));
    }

    @Test
    void anAsyncCallFromUserCodeRunsItsModuleUnderOneAsyncSpanStartedOnTheCallersThread() throws Exception {
        // given a listener recording spans and the threads that start them
        List<Span> started = Collections.synchronizedList(new ArrayList<>());
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        DspyListener recorder = new DspyListener() {
            @Override
            public void onStart(Span span) {
                started.add(span);
                threads.add(Thread.currentThread().getName());
            }
        };
        DspyContext context = DspyContext.empty().withListener(recorder);
        TypedModule<Question, Doubled> typed = new TypedModule<>(
                new FunctionModule(in -> Prediction.of(Map.of("n", in.get("n"), "doubled", 2 * (Integer) in.get("n")))),
                Question.class, Doubled.class);

        // when a plain and a typed module are called asynchronously
        doubler.callAsync(Map.of("n", 2), context).get(10, TimeUnit.SECONDS);
        typed.callAsync(new Question(3), context).get(10, TimeUnit.SECONDS);

        // then each call is an async RUN span, started here, with its module span under it
        assertThat(started).extracting(Span::kind)
                .containsExactly(SpanKind.RUN, SpanKind.MODULE, SpanKind.RUN, SpanKind.MODULE);
        assertThat(started.get(1).parentId()).isEqualTo(started.get(0).id());
        assertThat(started.get(3).parentId()).isEqualTo(started.get(2).id());
        assertThat(threads.get(0)).isEqualTo(Thread.currentThread().getName());
        assertThat(threads.get(1)).isEqualTo("dspy4j-async");
    }
}
