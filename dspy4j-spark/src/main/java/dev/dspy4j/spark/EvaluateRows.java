package dev.dspy4j.spark;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.evaluate.MetricContext;
import dev.dspy4j.evaluate.Score;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The executors' side of {@link SparkEvaluate}: one partition of rows in, one {@link EvalOutcome}
 * per row out, in order. Mirrors {@code Evaluate}'s scoring of one example: the program on the
 * example's inputs, then every metric in the example's context; any failure gives the failure
 * score for every metric and no prediction.
 */
final class EvaluateRows implements FlatMapFunction<Iterator<Row>, EvalOutcome> {

    private static final long serialVersionUID = 1L;

    private final SparkEvaluate job;
    private final StructType inputSchema;

    EvaluateRows(SparkEvaluate job, StructType inputSchema) {
        this.job = job;
        this.inputSchema = inputSchema;
    }

    @Override
    public Iterator<EvalOutcome> call(Iterator<Row> rows) {
        ExecutorRuntime runtime = ExecutorRuntimes.lease(job.predict);
        ColumnLayout layout;
        try {
            layout = ColumnLayout.of(job.predict, runtime.program, inputSchema, false);
        } catch (RuntimeException e) {
            ExecutorRuntimes.release(runtime);
            throw e;
        }
        List<String> inputKeys = List.copyOf(layout.inputIndex().keySet());
        Map<String, String> fieldOfColumn = fieldOfColumn(job);
        PartitionRunner<EvalOutcome> runner = new PartitionRunner<>(rows, job.predict.rowsInFlight,
                job.predict.rowTimeout, row -> run(runtime, inputKeys, fieldOfColumn, row),
                (row, error) -> failed(example(fieldOfColumn, inputSchema, row), inputKeys, error, List.of()));
        return new ReleasingIterator<>(runner, () -> ExecutorRuntimes.release(runtime));
    }

    /** The job's settings, never a secret (for logs and debuggers). */
    @Override
    public String toString() {
        return "dspy4j " + job;
    }

    /** Column name -> the field it is held under in the example (mapped inputs and labels). */
    static Map<String, String> fieldOfColumn(SparkEvaluate job) {
        Map<String, String> out = new LinkedHashMap<>();
        job.predict.inputColumns.forEach((field, column) -> out.put(column, field));
        job.labelColumns.forEach((field, column) -> out.put(column, field));
        return out;
    }

    /** The example's values: every column, under its field's name if mapped. */
    static LinkedHashMap<String, Object> example(Map<String, String> fieldOfColumn, StructType schema, Row row) {
        LinkedHashMap<String, Object> values = new LinkedHashMap<>();
        String[] names = schema.fieldNames();
        for (int i = 0; i < names.length; i++) {
            values.put(fieldOfColumn.getOrDefault(names[i], names[i]), SparkTypes.fromSpark(row.get(i)));
        }
        return values;
    }

    private EvalOutcome run(ExecutorRuntime runtime, List<String> inputKeys, Map<String, String> fieldOfColumn,
                            Row row) {
        LinkedHashMap<String, Object> values = example(fieldOfColumn, inputSchema, row);
        CallLog calls = new CallLog();
        try {
            Example example = Example.of(values).withInputs(inputKeys);
            DspyContext context = job.predict.context(runtime).withInterceptors(calls);
            Prediction prediction = runtime.program.call(example.inputs().toMap(), context);
            LinkedHashMap<String, Double> scores = new LinkedHashMap<>();
            LinkedHashMap<String, String> feedback = new LinkedHashMap<>();
            context.get(() -> {
                for (Map.Entry<String, SparkMetric> metric : job.metrics.entrySet()) {
                    Score score = Objects.requireNonNull(
                            metric.getValue().score(example, prediction, MetricContext.evaluation()),
                            () -> "metric '" + metric.getKey() + "' returned null; return a Score");
                    scores.put(metric.getKey(), score.value());
                    feedback.put(metric.getKey(), score.feedback());
                }
                return null;
            });
            LinkedHashMap<String, Object> predicted = new LinkedHashMap<>();
            prediction.toMap().forEach((k, v) -> predicted.put(k, serializable(SparkTypes.plain(v))));
            return new EvalOutcome(values, inputKeys, predicted, scores, feedback, null, null, calls.calls());
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError vm) {
                throw vm;
            }
            return failed(values, inputKeys, e, calls.calls());
        }
    }

    private EvalOutcome failed(LinkedHashMap<String, Object> values, List<String> inputKeys, Throwable error,
                               List<CallLog.Call> calls) {
        LinkedHashMap<String, Double> scores = new LinkedHashMap<>();
        LinkedHashMap<String, String> feedback = new LinkedHashMap<>();
        for (String name : job.metrics.keySet()) {
            scores.put(name, job.failureScore);
            feedback.put(name, "");
        }
        return new EvalOutcome(values, inputKeys, null, scores, feedback, Errors.typeName(error),
                Errors.message(error), calls);
    }

    /** A plain value that Java serialization can carry: unknown leaves become their text. */
    private static Object serializable(Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            LinkedHashMap<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), serializable(v)));
            return out;
        }
        if (value instanceof Collection<?> collection) {
            List<Object> out = new ArrayList<>();
            collection.forEach(item -> out.add(serializable(item)));
            return out;
        }
        return value instanceof Serializable ? value : String.valueOf(value);
    }
}
