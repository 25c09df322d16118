package dev.dspy4j.spark;

import java.io.Serial;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * What one row of a {@link SparkEvaluate} sends back to the driver: the example, the prediction
 * as plain values, each metric's score and feedback, the error as type and message, and the usage
 * of each LM call.
 */
record EvalOutcome(LinkedHashMap<String, Object> example, List<String> inputKeys,
                   LinkedHashMap<String, Object> prediction, LinkedHashMap<String, Double> scores,
                   LinkedHashMap<String, String> feedback, String errorType, String errorMessage,
                   List<CallLog.Call> calls) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    boolean failed() {
        return errorType != null;
    }
}
