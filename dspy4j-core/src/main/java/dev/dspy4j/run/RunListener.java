package dev.dspy4j.run;

/**
 * Observes runs: progress bars, loggers and metrics exporters are run listeners, given to a
 * {@link Runner} (or to the builders of {@code Evaluate} and the optimizers). Every method has an
 * empty default, so implement only what you need.
 *
 * <p>Calls for one run are serialized: never two at once, and in the order the events happened,
 * each seeing its {@link RunProgress} as of that event. They are made on the run's threads (the
 * caller's and the workers') while the run's state is locked, so they must be quick. One listener
 * may observe several runs at the same time; tell them apart by their {@code RunProgress}. An
 * exception thrown by a listener is logged and otherwise ignored: a listener never breaks a run.
 */
public interface RunListener {

    /**
     * A run is starting; no item has started yet.
     *
     * @param run the run's progress
     */
    default void onRunStarted(RunProgress run) {}

    /**
     * An item is starting.
     *
     * @param run the run's progress
     * @param index the item's position
     */
    default void onItemStarted(RunProgress run, int index) {}

    /**
     * An item succeeded.
     *
     * @param run the run's progress, counting this item
     * @param result its result
     */
    default void onItemSucceeded(RunProgress run, ItemResult.Succeeded<?> result) {}

    /**
     * An item failed: it threw, or passed the per-item timeout.
     *
     * @param run the run's progress, counting this item
     * @param result its result, with the error
     */
    default void onItemFailed(RunProgress run, ItemResult.Failed<?> result) {}

    /**
     * The run ended and every thread it started has ended.
     *
     * @param run the run's final progress
     * @param result how it ended, with every item's result
     */
    default void onRunFinished(RunProgress run, RunResult<?> result) {}

    /**
     * A listener that logs each failed item through SLF4J at WARN, as DSPy's
     * {@code ParallelExecutor} logs errors: with the stack trace, or only the message and a hint.
     * Silent unless a logging backend is configured.
     *
     * @param stackTraces whether to log stack traces (DSPy's {@code provide_traceback})
     * @return the listener
     */
    static RunListener logFailures(boolean stackTraces) {
        return new FailureLog(stackTraces);
    }
}
