package dev.dspy4j.evaluate;

import dev.dspy4j.DspyException;
import java.util.List;

/**
 * An evaluation stopped before every example ran: too many examples failed
 * ({@link Evaluate.Builder#maxErrors(int)}) or the thread that called {@link Evaluate#run} was
 * interrupted. Examples still running were interrupted and had finished by the time this is thrown;
 * examples not started never ran. When thrown because of an interrupt, the calling thread's
 * interrupt status is set again.
 */
public final class EvaluationCancelledException extends DspyException {

    private final transient List<ExampleResult> failures;
    private final int completed;
    private final int total;
    private final boolean interrupted;

    EvaluationCancelledException(String message, List<ExampleResult> failures, int completed, int total,
                                 boolean interrupted, Throwable cause) {
        super(message, cause);
        this.failures = List.copyOf(failures);
        this.completed = completed;
        this.total = total;
        this.interrupted = interrupted;
    }

    /** The examples that failed before the run stopped, in devset order, each with its error. */
    public List<ExampleResult> failures() {
        return failures;
    }

    /** How many examples finished (scored or failed) before the run stopped. */
    public int completed() {
        return completed;
    }

    /** The size of the devset. */
    public int total() {
        return total;
    }

    /** Whether the run stopped because the calling thread was interrupted (rather than errors). */
    public boolean interrupted() {
        return interrupted;
    }
}
