package dev.dspy4j.spark;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.Usage;
import dev.dspy4j.signature.FieldType;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * The executors' side of {@link SparkPredict}: one partition of rows in, the same rows with the
 * output, error, usage and latency columns out. Serializable: it carries the job and the input
 * schema only.
 */
final class PredictRows implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    private final SparkPredict job;
    private final StructType inputSchema;

    PredictRows(SparkPredict job, StructType inputSchema) {
        this.job = job;
        this.inputSchema = inputSchema;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        ExecutorRuntime runtime = ExecutorRuntimes.lease(job);
        ColumnLayout layout;
        try {
            layout = ColumnLayout.of(job, runtime.program, inputSchema);
        } catch (RuntimeException e) {
            ExecutorRuntimes.release(runtime);
            throw e;
        }
        PartitionRunner<Row> runner = new PartitionRunner<>(rows, job.rowsInFlight, job.rowTimeout,
                row -> run(runtime, job.context(runtime), layout, row), (row, error) -> failed(layout, row, error, Usage.ZERO, 0));
        return new ReleasingIterator<>(runner, () -> ExecutorRuntimes.release(runtime));
    }

    /** The job's settings, never a secret (for logs and debuggers). */
    @Override
    public String toString() {
        return "dspy4j " + job;
    }

    /** Runs the program on one row; never throws. */
    static Row run(ExecutorRuntime runtime, DspyContext context, ColumnLayout layout, Row row) {
        long start = System.nanoTime();
        CallLog calls = new CallLog();
        try {
            Map<String, Object> inputs = inputs(layout, row);
            Prediction prediction = runtime.program.call(inputs, context.withInterceptors(calls));
            Object[] values = outputValues(layout, row, prediction);
            int at = row.length() + layout.outputWidth();
            values[at + 1] = usageRow(calls.paid());
            values[at + 2] = elapsedMillis(start);
            return RowFactory.create(values);
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError vm) {
                throw vm;
            }
            return failed(layout, row, e, calls.paid(), elapsedMillis(start));
        }
    }

    static Map<String, Object> inputs(ColumnLayout layout, Row row) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        layout.inputIndex().forEach((field, index) -> inputs.put(field, SparkTypes.fromSpark(row.get(index))));
        return inputs;
    }

    private static Object[] outputValues(ColumnLayout layout, Row row, Prediction prediction) {
        Object[] values = new Object[row.length() + layout.outputWidth() + 3];
        for (int i = 0; i < row.length(); i++) {
            values[i] = row.get(i);
        }
        int at = row.length();
        for (ColumnLayout.OutputColumn output : layout.outputs()) {
            Object value = prediction.has(output.field()) ? prediction.get(output.field()) : null;
            if (output.flattened()) {
                Object[] components = value == null ? new Object[output.columns().size()]
                        : SparkTypes.components(value, (FieldType.RecordType) output.type());
                for (Object component : components) {
                    values[at++] = component;
                }
            } else {
                values[at++] = SparkTypes.toSpark(value, output.type());
            }
        }
        return values;
    }

    /** The row with its inputs, no outputs, and the error. */
    static Row failed(ColumnLayout layout, Row row, Throwable error, Usage usage, long latencyMillis) {
        Object[] values = new Object[row.length() + layout.outputWidth() + 3];
        for (int i = 0; i < row.length(); i++) {
            values[i] = row.get(i);
        }
        int at = row.length() + layout.outputWidth();
        values[at] = Errors.text(error);
        values[at + 1] = usageRow(usage);
        values[at + 2] = latencyMillis;
        return RowFactory.create(values);
    }

    static Row usageRow(Usage usage) {
        return RowFactory.create(usage.promptTokens(), usage.completionTokens(), usage.totalTokens());
    }

    static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
