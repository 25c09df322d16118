package dev.dspy4j.spark;

import dev.dspy4j.evaluate.EvaluationResult;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The driver's side of the jobs: validation, then the Spark plan. */
final class SparkJobs {

    private SparkJobs() {
    }

    static Dataset<Row> predict(SparkPredict job, Dataset<Row> input) {
        throw new UnsupportedOperationException("not yet");
    }

    static EvaluationResult evaluate(SparkEvaluate job, Dataset<Row> devset) {
        throw new UnsupportedOperationException("not yet");
    }
}
