package dev.dspy4j.run;

import dev.dspy4j.context.DspyContext;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * The future of {@link Runner#async}: a {@link CompletableFuture} whose {@code cancel(true)}
 * interrupts the thread running the task (a plain CompletableFuture's does not).
 */
final class InterruptibleFuture<R> extends CompletableFuture<R> {

    private final Thread worker;

    private InterruptibleFuture(Callable<? extends R> task, DspyContext context) {
        // not started here: the thread must not see this future before its constructor has run
        this.worker = Thread.ofVirtual().name("dspy4j-async").unstarted(() -> {
            try (DspyContext.Scope ignored = context.bind()) {
                complete(task.call());
            } catch (Throwable e) {
                completeExceptionally(e);
            }
        });
    }

    static <R> InterruptibleFuture<R> start(Callable<? extends R> task, DspyContext context) {
        InterruptibleFuture<R> future = new InterruptibleFuture<>(task, context);
        future.worker.start();
        return future;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled && mayInterruptIfRunning) {
            worker.interrupt();
        }
        return cancelled;
    }

    /** Dependent stages are plain futures: cancelling them does not reach back to the task. */
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
