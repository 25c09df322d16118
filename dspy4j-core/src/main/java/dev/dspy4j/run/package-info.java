/**
 * Running many items at once: the one bounded, cancellable, context-propagating runner that
 * {@code Module.batch}, {@code Parallel}, {@code Evaluate} and the optimizers share. DSPy's
 * {@code ParallelExecutor}, without leaving threads behind.
 *
 * <p>A {@link dev.dspy4j.run.Runner} is an immutable configuration: how many items run at once
 * ({@code concurrency}), the failure at which the run stops ({@code maxErrors}), an optional
 * per-item timeout, the context to bind and the {@link dev.dspy4j.run.RunListener}s to tell.
 * {@link dev.dspy4j.run.Runner#run Runner.run(items, task)} runs the task on one virtual thread per
 * item, in input order, and returns a {@link dev.dspy4j.run.RunResult}: one
 * {@link dev.dspy4j.run.ItemResult} per item in input order (its value, its error, or that it was
 * cancelled, each with the time it took) and a {@link dev.dspy4j.run.RunStatus} saying how the
 * run ended.
 *
 * <p><b>Threads.</b> A run owns every thread it starts. When {@code run} returns or throws, all of
 * them have ended: stopping at {@code maxErrors}, a {@link dev.dspy4j.run.CancellationToken}
 * cancelled from another thread, and an interrupt of the calling thread all interrupt the items
 * still running, start no new one, and wait for the interrupted ones to end before returning.
 *
 * <p><b>Context.</b> The caller's {@link dev.dspy4j.context.DspyContext#current()} (or the
 * runner's explicit context) is bound on every worker thread, so programs run by the items see
 * the caller's LM, adapter and listeners.
 *
 * <p><b>Progress.</b> Progress bars and loggers are {@link dev.dspy4j.run.RunListener}s: the
 * builders of {@code Evaluate} and the optimizers take a listener instead of display settings.
 * The terminal progress bar lives in {@code dspy4j-evaluate} ({@code ProgressBars.terminal()}),
 * so this module stays free of UI dependencies.
 *
 * <p>{@link dev.dspy4j.run.Runner#async Runner.async} runs a single task on its own virtual
 * thread with a context bound and returns a future whose {@code cancel(true)} interrupts it; it is
 * what {@code Module.callAsync} uses.
 */
@NullMarked
package dev.dspy4j.run;

import org.jspecify.annotations.NullMarked;
