package dev.dspy4j.run;

/**
 * The owner's side of a run: consumes results as they arrive, in completion order and in input
 * order, and can stop the run early or hold items back. What lets an optimizer walk a trainset in
 * order while running several examples ahead, and stop once it has enough.
 *
 * <p>Every method is called with the run's state locked, one call at a time, before the
 * {@link RunListener}s hear of the same event; state kept by a handler needs no further
 * synchronization. Methods must be quick. If one throws, the run stops as with
 * {@link RunStatus#STOPPED} and {@link Runner#run} rethrows the exception once every thread of the
 * run has ended. After the run has stopped, for whatever reason, the handler is not called again.
 *
 * @param <R> the result type
 */
public interface ResultHandler<R> {

    /**
     * An item finished (succeeded or failed), in completion order.
     *
     * @param result the item's result
     */
    default void onCompleted(ItemResult<R> result) {}

    /**
     * The next item in input order has finished: called for item 0, then 1, and so on, each as
     * soon as it and every item before it has finished.
     *
     * @param result the item's result
     * @return {@code true} to go on, {@code false} to stop the run ({@link RunStatus#STOPPED}):
     *     items still running are interrupted and the rest never start
     */
    default boolean onInOrder(ItemResult<R> result) {
        return true;
    }

    /**
     * How many items may have started beyond the items already passed to
     * {@link #onInOrder(ItemResult)}, asked before each item starts. At least one item always
     * runs, so values below 1 count as 1. Default: no limit beyond the runner's concurrency.
     */
    default int lookahead() {
        return Integer.MAX_VALUE;
    }

    /**
     * What progress displays show besides the counts ({@link RunProgress#note()}); asked after
     * every finished item. Default: nothing.
     */
    default String progressNote() {
        return "";
    }
}
