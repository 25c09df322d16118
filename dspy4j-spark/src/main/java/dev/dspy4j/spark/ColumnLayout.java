package dev.dspy4j.spark;

import dev.dspy4j.module.Module;
import org.apache.spark.sql.types.StructType;

/** Which columns feed which input fields, and the output schema. */
final class ColumnLayout {

    private ColumnLayout() {
    }

    static ColumnLayout of(SparkPredict job, Module program, StructType input) {
        throw new UnsupportedOperationException("not yet");
    }

    StructType outputSchema() {
        throw new UnsupportedOperationException("not yet");
    }
}
