package dev.dspy4j.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.testkit.ScriptedLm;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ContextTest {

    @Test
    void twoThreadsRunTheSameProgramWithDifferentLmsAtTheSameTime() throws Exception {
        ChainOfThought program = ChainOfThought.of("question -> answer");
        CyclicBarrier bothInsideTheLm = new CyclicBarrier(2);
        ScriptedLm lmA = ScriptedLm.answering(request -> {
            await(bothInsideTheLm);
            return "[[ ## reasoning ## ]]\nr\n\n[[ ## answer ## ]]\nfrom A\n\n[[ ## completed ## ]]";
        });
        ScriptedLm lmB = ScriptedLm.answering(request -> {
            await(bothInsideTheLm);
            return "[[ ## reasoning ## ]]\nr\n\n[[ ## answer ## ]]\nfrom B\n\n[[ ## completed ## ]]";
        });

        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> a = pool.submit(() -> {
                try (var scope = DspyContext.of(lmA).bind()) {
                    return program.call(Map.of("question", "Q")).getString("answer");
                }
            });
            Future<String> b = pool.submit(() -> program.call(Map.of("question", "Q"), DspyContext.of(lmB))
                    .getString("answer"));

            assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo("from A");
            assertThat(b.get(10, TimeUnit.SECONDS)).isEqualTo("from B");
        }
        assertThat(lmA.callCount()).isEqualTo(1);
        assertThat(lmB.callCount()).isEqualTo(1);
    }

    @Test
    void scopesNestAndRestoreThePreviousBinding() {
        ScriptedLm outer = ScriptedLm.replying();
        ScriptedLm inner = ScriptedLm.replying();

        assertThat(DspyContext.current().lm()).isNull();
        try (var a = DspyContext.of(outer).bind()) {
            assertThat(DspyContext.current().lm()).isSameAs(outer);
            try (var b = DspyContext.of(inner).bind()) {
                assertThat(DspyContext.current().lm()).isSameAs(inner);
            }
            assertThat(DspyContext.current().lm()).isSameAs(outer);
        }
        assertThat(DspyContext.current().lm()).isNull();
    }

    @Test
    void threadsStartedUnderABindingSeeItButPooledThreadsFromBeforeNeedItCarried() throws Exception {
        ScriptedLm lm = ScriptedLm.replying();
        ExecutorService olderPool = Executors.newFixedThreadPool(1);
        try {
            olderPool.submit(() -> { }).get(); // its thread exists before the binding
            try (var scope = DspyContext.of(lm).bind();
                 ExecutorService perTask = Executors.newVirtualThreadPerTaskExecutor()) {
                // a virtual thread started inside the binding inherits it
                assertThat(perTask.submit(() -> DspyContext.current().lm()).get()).isSameAs(lm);
                // a pooled thread created before the binding does not see it, unless the task is wrapped
                assertThat(olderPool.submit(() -> DspyContext.current().lm()).get()).isNull();
                Object[] carried = new Object[1];
                olderPool.submit(DspyContext.current().wrap(() -> carried[0] = DspyContext.current().lm())).get();
                assertThat(carried[0]).isSameAs(lm);
            }
        } finally {
            olderPool.shutdownNow();
        }
    }

    @Test
    void aThreadStartedUnderAScopeStopsSeeingItOnceTheScopeIsClosed() throws Exception {
        ScriptedLm outer = ScriptedLm.replying();
        ScriptedLm inner = ScriptedLm.replying();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        Object[] seen = new Object[2];
        Thread child;
        try (var outerScope = DspyContext.of(outer).bind()) {
            try (var innerScope = DspyContext.of(inner).bind()) {
                child = Thread.ofVirtual().start(() -> {
                    seen[0] = DspyContext.current().lm();
                    started.countDown();
                    try {
                        closed.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    seen[1] = DspyContext.current().lm();
                });
                started.await();
            }
            closed.countDown();
            child.join();
        }
        assertThat(seen[0]).isSameAs(inner);
        assertThat(seen[1]).as("after the inner scope closed, the enclosing binding").isSameAs(outer);
    }

    @Test
    void aScopeMustBeClosedOnItsOwnThread() throws Exception {
        DspyContext.Scope scope = DspyContext.of(ScriptedLm.replying()).bind();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> closing = pool.submit(scope::close);
            assertThatThrownBy(closing::get).hasCauseInstanceOf(IllegalStateException.class);
        } finally {
            scope.close();
        }
        assertThat(DspyContext.current().lm()).isNull();
    }

    @Test
    void contextsAreImmutable() {
        DspyContext base = DspyContext.empty();
        DspyContext withLm = base.withLm(ScriptedLm.replying());

        assertThat(base.lm()).isNull();
        assertThat(withLm.lm()).isNotNull();
        assertThat(withLm.listeners()).isEqualTo(List.of());
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the two calls did not overlap", e);
        }
    }
}
