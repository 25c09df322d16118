package dev.dspy4j.spark;

import java.io.Serial;
import java.util.Objects;

/**
 * An error that happened on an executor, as it crossed the wire: its type's name (e.g.
 * {@code LmException.BadRequest}) and message, without its stack or cause (which may not be
 * serializable, or may hold values that should not travel). {@link SparkEvaluate} puts it in
 * {@code ExampleResult.error()}.
 */
public final class RemoteError extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String type;

    /**
     * @param type the original exception's type, nested types joined with dots ({@code LmException.Timeout})
     * @param message the original message, or {@code ""}
     */
    public RemoteError(String type, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.type = Objects.requireNonNull(type, "type");
    }

    /** The original exception's type name, e.g. {@code LmException.BadRequest}. */
    public String type() {
        return type;
    }

    /** {@code "Type: message"}, as in the error column of {@link SparkPredict}. */
    @Override
    public String toString() {
        return getMessage().isEmpty() ? type : type + ": " + getMessage();
    }
}
