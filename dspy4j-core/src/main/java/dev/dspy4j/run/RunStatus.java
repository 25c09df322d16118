package dev.dspy4j.run;

/** How a {@link Runner#run run} ended. */
public enum RunStatus {

    /** Every item ran (each succeeded or failed; fewer than {@code maxErrors} failed). */
    COMPLETED,

    /** The {@code maxErrors}-th item failed; the items still running were interrupted and the rest never started. */
    MAX_ERRORS,

    /** A {@link CancellationToken} passed to the run was cancelled. */
    CANCELLED,

    /** The thread that called {@link Runner#run} was interrupted; its interrupt status is set again. */
    INTERRUPTED,

    /** The run's {@link ResultHandler} asked to stop (or threw, in which case {@code run} rethrows). */
    STOPPED
}
