package dev.dspy4j.run;

/**
 * The work a {@link Runner} does for one item. Runs on its own virtual thread with the run's
 * context bound; called from many threads at once, so it must be thread-safe.
 *
 * <p>Whatever it throws (checked exceptions included) becomes the item's
 * {@link ItemResult.Failed failure}. It should stop promptly when its thread is interrupted: the
 * runner interrupts it to cancel the run or when it passes the per-item timeout, and waits for it
 * to end before {@code run} returns.
 *
 * @param <T> the item type
 * @param <R> the result type ({@code null} results are allowed)
 */
@FunctionalInterface
public interface ItemTask<T, R> {

    /**
     * Processes one item.
     *
     * @param item the item
     * @return the item's result
     * @throws Exception if the item fails
     */
    R run(T item) throws Exception;
}
