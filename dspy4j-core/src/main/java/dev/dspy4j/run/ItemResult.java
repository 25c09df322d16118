package dev.dspy4j.run;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What became of one item of a run: it {@link Succeeded succeeded} with a value, {@link Failed
 * failed} with an error, or was {@link Cancelled cancelled} because the run stopped first.
 * Immutable; match on it with {@code switch}.
 *
 * @param <R> the result type
 */
public sealed interface ItemResult<R> permits ItemResult.Succeeded, ItemResult.Failed, ItemResult.Cancelled {

    /** The item's position in the list given to {@link Runner#run}. */
    int index();

    /** How long the item ran, from its start to its end ({@link Duration#ZERO} if it never started). */
    Duration elapsed();

    /** Whether the item succeeded. */
    default boolean succeeded() {
        return this instanceof Succeeded<R>;
    }

    /** Whether the item failed (threw, or passed the per-item timeout). */
    default boolean failed() {
        return this instanceof Failed<R>;
    }

    /**
     * The item ran and returned a value.
     *
     * @param index the item's position
     * @param value what the task returned; may be {@code null}
     * @param elapsed how long it ran
     * @param <R> the result type
     */
    record Succeeded<R>(int index, @Nullable R value, Duration elapsed) implements ItemResult<R> {

        /** @throws NullPointerException if {@code elapsed} is {@code null} */
        public Succeeded {
            Objects.requireNonNull(elapsed, "elapsed");
        }
    }

    /**
     * The item's task threw, or ran past the per-item timeout (then {@code error} is a
     * {@link java.util.concurrent.TimeoutException} and the task was interrupted).
     *
     * @param index the item's position
     * @param error what it threw
     * @param elapsed how long it ran
     * @param <R> the result type
     */
    record Failed<R>(int index, Throwable error, Duration elapsed) implements ItemResult<R> {

        /** @throws NullPointerException if {@code error} or {@code elapsed} is {@code null} */
        public Failed {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(elapsed, "elapsed");
        }
    }

    /**
     * The run stopped before the item finished: it never started, or it was interrupted by the
     * stop (whatever it threw then is not counted as its failure).
     *
     * @param index the item's position
     * @param started whether it had started
     * @param elapsed how long it ran before it ended ({@link Duration#ZERO} if it never started)
     * @param <R> the result type
     */
    record Cancelled<R>(int index, boolean started, Duration elapsed) implements ItemResult<R> {

        /** @throws NullPointerException if {@code elapsed} is {@code null} */
        public Cancelled {
            Objects.requireNonNull(elapsed, "elapsed");
        }
    }
}
