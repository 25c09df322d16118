package dev.dspy4j.springai;

import dev.dspy4j.data.Prediction;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.Signature;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A prediction's outputs as the result of a program called as a tool: the signature's output
 * fields in order (the tool's arguments follow {@link dev.dspy4j.signature.InputSchema}).
 */
final class ProgramSchema {

    private ProgramSchema() {}

    static Map<String, Object> outputs(Prediction prediction, Signature signature) {
        Map<String, Object> outputs = new LinkedHashMap<>();
        for (Field field : signature.outputs()) {
            outputs.put(field.name(), prediction.get(field.name()));
        }
        return outputs;
    }
}
