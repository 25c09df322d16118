package dev.dspy4j.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.trace.DspyListener;
import dev.dspy4j.trace.Span;
import dev.dspy4j.trace.SpanKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RunnerTest {

    /** Records the threads that ran items, to check none is left running. */
    private final Set<Thread> workers = ConcurrentHashMap.newKeySet();

    private static List<Integer> numbers(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    private static void blockUntilInterrupted() throws InterruptedException {
        new CountDownLatch(1).await();
    }

    @Test
    void returnsEveryItemsValueOrErrorInInputOrder() {
        RunResult<String> result = Runner.builder().maxErrors(Integer.MAX_VALUE).build().run(numbers(20), i -> {
            if (i % 5 == 3) {
                throw new IllegalStateException("bad " + i);
            }
            return "v" + i;
        });

        assertThat(result.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.items()).extracting(ItemResult::index).containsExactlyElementsOf(numbers(20));
        assertThat(result.succeeded()).isEqualTo(16);
        assertThat(result.failures()).extracting(ItemResult.Failed::index).containsExactly(3, 8, 13, 18);
        assertThat(result.failures().get(0).error()).hasMessage("bad 3");
        assertThat(result.values()).startsWith("v0", "v1", "v2", "v4");
        assertThat(result.items().get(1)).isInstanceOfSatisfying(ItemResult.Succeeded.class,
                ok -> assertThat(ok.value()).isEqualTo("v1"));
    }

    @Test
    void runsNoMoreThanTheConcurrencyAtOnceAndStartsItemsInOrder() {
        CountDownLatch fourRunning = new CountDownLatch(4);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        List<Integer> startOrder = new CopyOnWriteArrayList<>();
        RunListener recordStarts = new RunListener() {
            @Override
            public void onItemStarted(RunProgress run, int index) {
                startOrder.add(index);
            }
        };

        RunResult<Integer> result = Runner.builder().concurrency(4).listener(recordStarts).build()
                .run(numbers(24), i -> {
                    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        fourRunning.countDown();
                        if (!fourRunning.await(10, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("items did not overlap");
                        }
                        return i;
                    } finally {
                        running.decrementAndGet();
                    }
                });

        assertThat(result.values()).containsExactlyElementsOf(numbers(24));
        assertThat(maxRunning.get()).isEqualTo(4);
        assertThat(startOrder).containsExactlyElementsOf(numbers(24));
    }

    @Test
    void stopsAtTheMaxErrorsThFailureAndLeavesNoThreadRunning() {
        CountDownLatch blockedStarted = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        AtomicInteger started = new AtomicInteger();

        RunResult<Integer> result = Runner.builder().concurrency(3).maxErrors(3).build().run(numbers(100), i -> {
            workers.add(Thread.currentThread());
            started.incrementAndGet();
            if (i == 0) {
                blockedStarted.countDown();
                try {
                    blockUntilInterrupted();
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                    throw e;
                }
            }
            blockedStarted.await();
            throw new IllegalStateException("failure of " + i);
        });

        assertThat(result.status()).isEqualTo(RunStatus.MAX_ERRORS);
        assertThat(result.failed()).isEqualTo(3);
        assertThat(result.items().get(0)).isInstanceOfSatisfying(ItemResult.Cancelled.class,
                cancelled -> assertThat(cancelled.started()).isTrue());
        assertThat(result.items().get(99)).isEqualTo(new ItemResult.Cancelled<>(99, false, Duration.ZERO));
        assertThat(interrupted.get()).isEqualTo(1);
        assertThat(started.get()).isLessThan(100);
        assertThat(workers).isNotEmpty().noneMatch(Thread::isAlive);
    }

    @Test
    void interruptingTheCallerCancelsTheRunAndEndsEveryWorkerBeforeReturning() throws Exception {
        CountDownLatch twoStarted = new CountDownLatch(2);
        AtomicInteger interruptedItems = new AtomicInteger();
        AtomicReference<RunResult<Integer>> returned = new AtomicReference<>();
        AtomicReference<Boolean> workersAliveOnReturn = new AtomicReference<>();
        AtomicReference<Boolean> interruptStatusKept = new AtomicReference<>();
        Runner runner = Runner.builder().concurrency(2).build();
        Thread caller = Thread.ofPlatform().start(() -> {
            RunResult<Integer> result = runner.run(numbers(10), i -> {
                workers.add(Thread.currentThread());
                twoStarted.countDown();
                try {
                    blockUntilInterrupted();
                } catch (InterruptedException e) {
                    interruptedItems.incrementAndGet();
                    throw e;
                }
                return i;
            });
            workersAliveOnReturn.set(workers.stream().anyMatch(Thread::isAlive));
            interruptStatusKept.set(Thread.currentThread().isInterrupted());
            returned.set(result);
        });

        assertThat(twoStarted.await(10, TimeUnit.SECONDS)).isTrue();
        caller.interrupt();
        caller.join();

        assertThat(returned.get().status()).isEqualTo(RunStatus.INTERRUPTED);
        assertThat(workersAliveOnReturn.get()).isFalse();
        assertThat(interruptStatusKept.get()).isTrue();
        assertThat(interruptedItems.get()).isEqualTo(2);
        assertThat(workers).hasSize(2);
        assertThat(returned.get().items()).allMatch(item -> item instanceof ItemResult.Cancelled<Integer>);
        assertThatThrownBy(returned.get()::orThrow).isInstanceOfSatisfying(RunCancelledException.class,
                e -> assertThat(e.status()).isEqualTo(RunStatus.INTERRUPTED));
    }

    @Test
    void cancellingTheTokenFromAnotherThreadStopsTheRunAndEndsEveryWorker() throws Exception {
        CountDownLatch threeStarted = new CountDownLatch(3);
        CancellationToken token = CancellationToken.create();
        Thread canceller = Thread.ofPlatform().start(() -> {
            try {
                threeStarted.await();
                token.cancel();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        RunResult<Integer> result = Runner.builder().concurrency(3).build().run(numbers(50), i -> {
            workers.add(Thread.currentThread());
            threeStarted.countDown();
            blockUntilInterrupted();
            return i;
        }, token);
        canceller.join();

        assertThat(result.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(workers).hasSize(3).noneMatch(Thread::isAlive);
        assertThat(result.failed()).isZero();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(token.isCancelled()).isTrue();
    }

    @Test
    void aRunWithAnAlreadyCancelledTokenStartsNoItem() {
        CancellationToken token = CancellationToken.create();
        token.cancel();

        RunResult<Integer> result = Runner.defaults().run(numbers(5), i -> i, token);

        assertThat(result.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(result.items()).allMatch(item -> item instanceof ItemResult.Cancelled<Integer> c && !c.started());
    }

    @Test
    void anItemPastItsTimeoutFailsWithATimeoutAndIsInterruptedWhileTheOthersGoOn() {
        AtomicInteger interrupted = new AtomicInteger();

        RunResult<Integer> result = Runner.builder().itemTimeout(Duration.ofMillis(50)).build().run(numbers(4), i -> {
            workers.add(Thread.currentThread());
            if (i == 1) {
                try {
                    blockUntilInterrupted();
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                    throw e;
                }
            }
            return i;
        });

        assertThat(result.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.values()).containsExactly(0, 2, 3);
        assertThat(result.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.index()).isEqualTo(1);
            assertThat(failure.error()).isInstanceOf(TimeoutException.class).hasMessageContaining("item timeout");
        });
        assertThat(interrupted.get()).isEqualTo(1);
        assertThat(workers).noneMatch(Thread::isAlive);
    }

    @Test
    void bindsTheCallersContextOnEveryWorkerUnlessTheRunnerHasOne() {
        DspyContext callers = DspyContext.empty().withListener(new DspyListener() { });
        DspyContext runners = DspyContext.empty().withListener(new DspyListener() { });

        RunResult<DspyContext> seen;
        try (var scope = callers.bind()) {
            seen = Runner.defaults().run(numbers(10), i -> DspyContext.current());
        }
        RunResult<DspyContext> explicit = Runner.builder().context(runners).build()
                .run(numbers(3), i -> DspyContext.current());

        // the same context, under the run's span (its items' common parent)
        assertThat(seen.values()).hasSize(10).allMatch(context -> context.listeners().equals(callers.listeners()))
                .allMatch(context -> context.span() != null && context.span().kind() == SpanKind.RUN)
                .extracting(DspyContext::span).containsOnly(seen.values().get(0).span());
        assertThat(explicit.values()).hasSize(3).allMatch(context -> context.listeners().equals(runners.listeners()));
    }

    @Test
    void aRunOutsideAnySpanIsOneSpanThatItsItemsSitUnder() {
        // given a listener recording spans, and no enclosing span
        List<Span> started = Collections.synchronizedList(new ArrayList<>());
        List<Map<String, Object>> ended = Collections.synchronizedList(new ArrayList<>());
        DspyListener recorder = new DspyListener() {
            @Override
            public void onStart(Span span) {
                started.add(span);
            }

            @Override
            public void onEnd(Span span, Map<String, Object> attributes) {
                ended.add(attributes);
            }
        };
        DspyContext context = DspyContext.empty().withListener(recorder);

        // when each item opens a span of its own
        try (var scope = context.bind()) {
            Runner.builder().name("batch").concurrency(3).build().run(numbers(4), i -> {
                DspyContext.current().startSpan(SpanKind.MODULE, "item " + i, Map.of()).end();
                return i;
            });
        }

        // then one RUN span is the root and every item's span is its child
        Span run = started.get(0);
        assertThat(run.kind()).isEqualTo(SpanKind.RUN);
        assertThat(run.name()).isEqualTo("batch");
        assertThat(run.parentId()).isNull();
        assertThat(run.attributes()).containsEntry("dspy.run.items", 4);
        assertThat(started.subList(1, started.size())).hasSize(4).allMatch(span -> run.id().equals(span.parentId()));
        assertThat(ended.get(ended.size() - 1)).containsEntry("dspy.run.status", "completed")
                .containsEntry("dspy.run.succeeded", 4).containsEntry("dspy.run.failed", 0);
    }

    @Test
    void aRunStoppedByItsHandlerEndsItsSpanNormallyAndOneStoppedByFailuresFailsIt() {
        // given a listener recording how spans end
        List<String> endings = Collections.synchronizedList(new ArrayList<>());
        DspyListener recorder = new DspyListener() {
            @Override
            public void onEnd(Span span, Map<String, Object> attributes) {
                endings.add("end " + attributes.get("dspy.run.status"));
            }

            @Override
            public void onFailed(Span span, Throwable error) {
                endings.add("failed " + error.getClass().getSimpleName());
            }
        };
        Runner runner = Runner.builder().concurrency(1).maxErrors(1)
                .context(DspyContext.empty().withListener(recorder)).build();

        // when one run is stopped by its handler after the first item, another by a failure
        runner.run(numbers(5), i -> i, new ResultHandler<Integer>() {
            @Override
            public boolean onInOrder(ItemResult<Integer> result) {
                return false;
            }
        });
        runner.run(numbers(5), i -> {
            throw new IllegalStateException("boom");
        });

        // then
        assertThat(endings).containsExactly("end stopped", "failed RunCancelledException");
    }

    @Test
    void aRunInsideASpanOpensNoSpanOfItsOwn() {
        // given a context already under a span
        List<Span> started = Collections.synchronizedList(new ArrayList<>());
        DspyListener recorder = new DspyListener() {
            @Override
            public void onStart(Span span) {
                started.add(span);
            }
        };
        DspyContext outer = DspyContext.empty().withListener(recorder);
        Span parent = outer.startSpan(SpanKind.MODULE, "outer", Map.of()).span();
        DspyContext inside = outer.withSpan(parent);

        // when
        RunResult<DspyContext> seen = Runner.builder().context(inside).build().run(numbers(3), i -> DspyContext.current());

        // then the items see the enclosing context unchanged
        assertThat(seen.values()).allMatch(context -> context == inside);
        assertThat(started).extracting(Span::kind).containsExactly(SpanKind.MODULE);
    }

    @Test
    void listenersHearEveryEventInOrderWithConsistentCounts() {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        RunListener recorder = new RunListener() {
            @Override
            public void onRunStarted(RunProgress run) {
                events.add("start " + run.name() + " " + run.total());
            }

            @Override
            public void onItemSucceeded(RunProgress run, ItemResult.Succeeded<?> result) {
                events.add("ok " + result.index() + " " + run.finished() + "/" + run.total());
            }

            @Override
            public void onItemFailed(RunProgress run, ItemResult.Failed<?> result) {
                events.add("failed " + result.index() + " errors=" + run.failed());
            }

            @Override
            public void onRunFinished(RunProgress run, RunResult<?> result) {
                events.add("end " + result.status());
            }
        };

        Runner.builder().name("Numbers").concurrency(1).listener(recorder).build().run(numbers(3), i -> {
            if (i == 1) {
                throw new IllegalStateException("no");
            }
            return i;
        });

        assertThat(events).containsExactly("start Numbers 3", "ok 0 1/3", "failed 1 errors=1", "ok 2 3/3",
                "end COMPLETED");
    }

    @Test
    void aListenerThatThrowsNeverBreaksTheRun() {
        RunListener broken = new RunListener() {
            @Override
            public void onItemSucceeded(RunProgress run, ItemResult.Succeeded<?> result) {
                throw new IllegalStateException("listener bug");
            }
        };

        RunResult<Integer> result = Runner.builder().listener(broken).build().run(numbers(5), i -> i);

        assertThat(result.values()).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void theHandlerSeesResultsInInputOrderAndCanStopTheRun() {
        List<Integer> inOrder = new ArrayList<>();
        ResultHandler<Integer> firstThree = new ResultHandler<>() {
            @Override
            public boolean onInOrder(ItemResult<Integer> result) {
                inOrder.add(result.index());
                return inOrder.size() < 3;
            }

            @Override
            public String progressNote() {
                return "seen " + inOrder.size();
            }
        };
        AtomicReference<String> lastNote = new AtomicReference<>();
        RunListener notes = new RunListener() {
            @Override
            public void onItemSucceeded(RunProgress run, ItemResult.Succeeded<?> result) {
                lastNote.set(run.note());
            }
        };

        // items from 8 on block until the stop interrupts them, so the last ones can never have run
        RunResult<Integer> result = Runner.builder().concurrency(4).listener(notes).build()
                .run(numbers(40), i -> {
                    if (i >= 8) {
                        Thread.sleep(60_000);
                    }
                    return 40 - i;
                }, firstThree);

        assertThat(result.status()).isEqualTo(RunStatus.STOPPED);
        assertThat(inOrder).containsExactly(0, 1, 2);
        assertThat(result.values()).startsWith(40, 39, 38);
        assertThat(result.items().get(39)).isInstanceOf(ItemResult.Cancelled.class);
        assertThat(lastNote.get()).startsWith("seen ");
    }

    @Test
    void theHandlersLookaheadHoldsBackItemsBeyondTheConsumedPrefix() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        ResultHandler<Integer> oneAhead = new ResultHandler<>() {
            @Override
            public int lookahead() {
                return 2;
            }
        };

        RunResult<Integer> result = Runner.builder().concurrency(8).build().run(numbers(30), i -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            Thread.yield();
            running.decrementAndGet();
            return i;
        }, oneAhead);

        assertThat(result.values()).containsExactlyElementsOf(numbers(30));
        assertThat(maxRunning.get()).isLessThanOrEqualTo(2);
    }

    @Test
    void anExceptionFromTheHandlerIsRethrownOnceEveryThreadHasEnded() {
        ResultHandler<Integer> failing = new ResultHandler<>() {
            @Override
            public void onCompleted(ItemResult<Integer> result) {
                if (result.index() == 2) {
                    throw new IllegalArgumentException("handler refuses item 2");
                }
            }
        };

        assertThatThrownBy(() -> Runner.builder().concurrency(2).build().run(numbers(20), i -> {
            workers.add(Thread.currentThread());
            return i;
        }, failing)).isInstanceOf(IllegalArgumentException.class).hasMessage("handler refuses item 2");
        assertThat(workers).noneMatch(Thread::isAlive);
    }

    @Test
    void anEmptyRunCompletesAtOnce() {
        RunResult<Object> result = Runner.defaults().run(List.of(), item -> item);

        assertThat(result.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.items()).isEmpty();
        assertThat(result.orThrow()).isSameAs(result);
    }

    @Test
    void aRunCancelledExceptionNamesTheFirstErrors() {
        RunResult<Integer> result = Runner.builder().concurrency(1).maxErrors(2).build().run(numbers(10), i -> {
            throw new IllegalStateException("broken " + i);
        });

        assertThatThrownBy(result::orThrow).isInstanceOfSatisfying(RunCancelledException.class, e -> {
            assertThat(e.status()).isEqualTo(RunStatus.MAX_ERRORS);
            assertThat(e.result()).isSameAs(result);
            assertThat(e.getMessage()).contains("2 of 10 items finished", "item 0: IllegalStateException: broken 0",
                    "item 1: IllegalStateException: broken 1", "maxErrors");
            assertThat(e.getCause()).hasMessage("broken 0");
        });
    }

    @Test
    void rejectsInvalidSettingsAsTheyAreSetNamingThem() {
        assertThatThrownBy(() -> Runner.builder().concurrency(0)).hasMessageContaining("concurrency");
        assertThatThrownBy(() -> Runner.builder().maxErrors(0)).hasMessageContaining("maxErrors");
        assertThatThrownBy(() -> Runner.builder().itemTimeout(Duration.ZERO)).hasMessageContaining("itemTimeout");
        assertThatThrownBy(() -> Runner.builder().name(" ")).hasMessageContaining("name");
        assertThat(Runner.builder().concurrency(3).build().toBuilder().maxErrors(Integer.MAX_VALUE).build())
                .hasToString("Runner[run, concurrency=3, maxErrors=none]");
    }

    @Test
    void aTokenRunsActionsOnceAndImmediatelyWhenAlreadyCancelled() {
        CancellationToken token = CancellationToken.create();
        AtomicInteger calls = new AtomicInteger();
        CancellationToken.Registration removed = token.onCancel(calls::incrementAndGet);
        token.onCancel(calls::incrementAndGet);
        removed.close();

        token.cancel();
        token.cancel();
        token.onCancel(calls::incrementAndGet);

        assertThat(calls.get()).isEqualTo(2);
    }
}
