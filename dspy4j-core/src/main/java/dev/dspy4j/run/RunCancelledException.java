package dev.dspy4j.run;

import dev.dspy4j.DspyException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A run stopped before every item ran: too many items failed, it was cancelled, or the calling
 * thread was interrupted. Thrown by {@link RunResult#orThrow()} (and so by {@code Module.batch}
 * and {@code Parallel}); DSPy raises {@code "Execution cancelled due to errors or interruption."}
 * in the same cases. Every thread of the run had ended when it was thrown; {@link #result()} holds
 * what the items that finished produced.
 */
public final class RunCancelledException extends DspyException {

    private static final int SHOWN_ERRORS = 5;

    private final transient RunResult<?> result;

    /** Thrown by {@link RunResult#orThrow()} for a run that did not complete. */
    RunCancelledException(RunResult<?> result) {
        super(message(result), firstError(result));
        this.result = result;
    }

    /** The run's result: every item in input order, with the values and errors of those that finished. */
    public RunResult<?> result() {
        return result;
    }

    /** Why the run stopped. */
    public RunStatus status() {
        return result.status();
    }

    private static @Nullable Throwable firstError(RunResult<?> result) {
        List<? extends ItemResult.Failed<?>> failures = result.failures();
        return failures.isEmpty() ? null : failures.get(0).error();
    }

    private static String message(RunResult<?> result) {
        String reason = switch (result.status()) {
            case MAX_ERRORS -> "Run cancelled after " + result.failed() + " failed items (maxErrors)";
            case CANCELLED -> "Run cancelled through its CancellationToken";
            case INTERRUPTED -> "Run cancelled: the calling thread was interrupted";
            case STOPPED -> "Run stopped by its result handler";
            case COMPLETED -> "Run completed";
        };
        StringBuilder message = new StringBuilder(reason).append(" (").append(result.finished()).append(" of ")
                .append(result.items().size()).append(" items finished).");
        List<? extends ItemResult.Failed<?>> failures = result.failures();
        for (int i = 0; i < failures.size(); i++) {
            if (i == SHOWN_ERRORS) {
                message.append("\n  ... and ").append(failures.size() - SHOWN_ERRORS).append(" more");
                break;
            }
            message.append("\n  item ").append(failures.get(i).index()).append(": ").append(describe(failures.get(i).error()));
        }
        if (result.status() == RunStatus.MAX_ERRORS) {
            message.append("\nFix the failing items, or raise maxErrors (Integer.MAX_VALUE never stops).");
        }
        return message.toString();
    }

    static String describe(Throwable error) {
        String text = error.getMessage();
        return error.getClass().getSimpleName() + (text == null ? "" : ": " + text);
    }
}
