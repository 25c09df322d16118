package dev.dspy4j.spark.example;

import dev.dspy4j.evaluate.EvaluationResult;
import dev.dspy4j.evaluate.Score;
import dev.dspy4j.spark.SparkEvaluate;
import dev.dspy4j.spark.SparkMetric;
import dev.dspy4j.spark.SparkPredict;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The other Java blocks of docs/spark.md, compiled: {@link SparkDocSnippetsTest} checks that each
 * block is text of this class or of {@link TriageTickets}.
 */
final class SparkDocSnippets {

    private SparkDocSnippets() {}

    /** "Distributed Evaluate". */
    static EvaluationResult distributedEvaluate(SparkPredict triage, Dataset<Row> labelled) {
        SparkMetric sameQueue = (example, prediction, context) ->
                Score.of(example.get("category").equals(prediction.get("category")));

        EvaluationResult result = SparkEvaluate.builder()
                .predict(triage)
                .metric("exact_match", sameQueue)          // or SparkMetric.exactMatch("category")
                .label("category", "category")             // the label field's column
                .build()
                .run(labelled);

        System.out.println(result.score() + " on " + result.total() + " tickets, " + result.errors() + " failed");
        System.out.println(result.toTable(5));
        return result;
    }
}
