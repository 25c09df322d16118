package dev.dspy4j.spark;

import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.evaluate.EvaluationResult;
import dev.dspy4j.evaluate.ExampleResult;
import dev.dspy4j.evaluate.Score;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.Usage;
import dev.dspy4j.module.Module;
import dev.dspy4j.usage.UsageTracker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/** The driver's side of the jobs: validation before anything runs, then the Spark plan. */
final class SparkJobs {

    private SparkJobs() {
    }

    static Dataset<Row> predict(SparkPredict job, Dataset<Row> input) {
        ColumnLayout layout = validate(job, input, true);
        return input.mapPartitions(new PredictRows(job, input.schema()), Encoders.row(layout.outputSchema()));
    }

    static EvaluationResult evaluate(SparkEvaluate job, Dataset<Row> devset) {
        validate(job.predict, devset, false);
        List<String> columns = Arrays.asList(devset.schema().fieldNames());
        job.labelColumns.forEach((field, column) -> {
            if (!columns.contains(column)) {
                throw new IllegalArgumentException("The label column '" + column + "' (for the field '" + field
                        + "') is not in the Dataset; its columns are " + columns + ".");
            }
        });
        List<EvalOutcome> outcomes = devset.javaRDD().mapPartitions(new EvaluateRows(job, devset.schema())).collect();
        return aggregate(job, outcomes);
    }

    /** The same result object a local {@code Evaluate} gives, from the rows' outcomes in order. */
    static EvaluationResult aggregate(SparkEvaluate job, List<EvalOutcome> outcomes) {
        UsageTracker usage = UsageTracker.create();
        List<ExampleResult> results = new ArrayList<>(outcomes.size());
        for (int index = 0; index < outcomes.size(); index++) {
            EvalOutcome outcome = outcomes.get(index);
            Usage paid = Usage.ZERO;
            for (CallLog.Call call : outcome.calls()) {
                usage.record(call.model(), call.usage(), call.cacheHit());
                if (!call.cacheHit()) {
                    paid = paid.plus(call.usage());
                }
            }
            Map<String, Score> scores = new LinkedHashMap<>();
            outcome.scores().forEach((name, value) -> scores.put(name,
                    new Score(value, outcome.feedback().getOrDefault(name, ""))));
            Example example = Example.of(outcome.example()).withInputs(outcome.inputKeys());
            Prediction prediction = outcome.failed() ? null : Prediction.of(outcome.prediction());
            Throwable error = outcome.failed() ? new RemoteError(outcome.errorType(), outcome.errorMessage()) : null;
            results.add(new ExampleResult(index, example, prediction, scores, error, paid));
        }
        return EvaluationResult.of(List.copyOf(job.metrics.keySet()), results, usage.snapshot());
    }

    /**
     * The environment the driver's check client is built from: this JVM's, plus, when the key's
     * variable is set for executors only ({@code spark.executorEnv.<NAME>}) and not here, a
     * placeholder for it, so the check still covers the model, provider and endpoint.
     */
    static Map<String, String> driverEnvironment(LmConfig lm, Dataset<Row> input) {
        String variable = lm.apiKeyVariable();
        Map<String, String> environment = System.getenv();
        if (variable == null || environment.get(variable) != null) {
            return environment;
        }
        if (!input.sparkSession().sparkContext().getConf().contains("spark.executorEnv." + variable)) {
            return environment;
        }
        Map<String, String> withPlaceholder = new java.util.HashMap<>(environment);
        withPlaceholder.put(variable, "set-for-executors-only");
        return withPlaceholder;
    }

    /** Fails fast on the driver: the program and state, an LM client, the columns. */
    private static ColumnLayout validate(SparkPredict job, Dataset<Row> input, boolean outputRows) {
        Module program = job.buildProgram();
        ColumnLayout layout = ColumnLayout.of(job, program, input.schema(), outputRows);
        try (Lm client = job.lm.client(driverEnvironment(job.lm, input))) {
            client.model();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Closing the driver's check client failed: " + e.getMessage(), e);
        }
        return layout;
    }
}
