package dev.dspy4j.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link Runner#run run} produced: how it ended and one {@link ItemResult} per item, in
 * input order. Immutable (the values themselves are whatever the task returned).
 *
 * @param status how the run ended
 * @param items one result per item, in the order of the items given to the run
 * @param elapsed how long the run took, from its start until every thread it started had ended
 * @param <R> the result type
 */
public record RunResult<R>(RunStatus status, List<ItemResult<R>> items, Duration elapsed) {

    /** @throws NullPointerException if an argument or an item result is {@code null} */
    public RunResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(elapsed, "elapsed");
        items = List.copyOf(items);
    }

    /** Whether every item ran ({@link RunStatus#COMPLETED}); some may still have failed. */
    public boolean completed() {
        return status == RunStatus.COMPLETED;
    }

    /**
     * The values of the items that succeeded, in input order. Failed and cancelled items are left
     * out; use {@link #items()} to keep every position.
     */
    public List<R> values() {
        List<R> values = new ArrayList<>();
        for (ItemResult<R> item : items) {
            if (item instanceof ItemResult.Succeeded<R> ok) {
                values.add(ok.value());
            }
        }
        return java.util.Collections.unmodifiableList(values);
    }

    /** The items that failed, in input order, each with its index and error. */
    public List<ItemResult.Failed<R>> failures() {
        List<ItemResult.Failed<R>> failed = new ArrayList<>();
        for (ItemResult<R> item : items) {
            if (item instanceof ItemResult.Failed<R> failure) {
                failed.add(failure);
            }
        }
        return List.copyOf(failed);
    }

    /** How many items succeeded. */
    public int succeeded() {
        return (int) items.stream().filter(ItemResult::succeeded).count();
    }

    /** How many items failed. */
    public int failed() {
        return (int) items.stream().filter(ItemResult::failed).count();
    }

    /** How many items finished, successfully or not (the rest were cancelled). */
    public int finished() {
        return (int) items.stream().filter(item -> !(item instanceof ItemResult.Cancelled<R>)).count();
    }

    /**
     * This result if the run {@link #completed() completed}; otherwise throws, as DSPy's
     * {@code ParallelExecutor} raises when a run is cancelled.
     *
     * @return this result
     * @throws RunCancelledException holding this result if the run did not complete
     */
    public RunResult<R> orThrow() {
        if (completed()) {
            return this;
        }
        throw new RunCancelledException(this);
    }
}
