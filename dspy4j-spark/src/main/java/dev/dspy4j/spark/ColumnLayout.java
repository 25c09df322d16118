package dev.dspy4j.spark;

import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Which columns feed which input fields, and which columns the outputs go to: computed from the
 * job, the program and the input schema, the same on the driver (to check) and on executors.
 */
final class ColumnLayout {

    /** The usage struct's type. */
    static final StructType USAGE_TYPE = new StructType(new StructField[] {
            DataTypes.createStructField("prompt_tokens", DataTypes.LongType, false),
            DataTypes.createStructField("completion_tokens", DataTypes.LongType, false),
            DataTypes.createStructField("total_tokens", DataTypes.LongType, false)});

    /** One output field: where its value goes. */
    record OutputColumn(String field, FieldType type, List<StructField> columns, boolean flattened) {
    }

    private final StructType inputSchema;
    private final LinkedHashMap<String, Integer> inputIndex;   // input field -> column index
    private final List<OutputColumn> outputs;
    private final StructType outputSchema;

    private ColumnLayout(StructType inputSchema, LinkedHashMap<String, Integer> inputIndex, List<OutputColumn> outputs,
                         StructType outputSchema) {
        this.inputSchema = inputSchema;
        this.inputIndex = inputIndex;
        this.outputs = outputs;
        this.outputSchema = outputSchema;
    }

    /**
     * The layout of {@code job} for {@code program} over rows of {@code input}.
     *
     * @throws IllegalArgumentException if a column is missing or clashes
     */
    static ColumnLayout of(SparkPredict job, Module program, StructType input) {
        return of(job, program, input, true);
    }

    /**
     * As {@link #of(SparkPredict, Module, StructType)}; with {@code outputRows} false (evaluation,
     * where no rows are written) output columns may share names with input columns, e.g. labels.
     */
    static ColumnLayout of(SparkPredict job, Module program, StructType input, boolean outputRows) {
        List<Predict> predictors = List.copyOf(program.namedPredictors().values());
        if (predictors.isEmpty()) {
            throw new IllegalArgumentException("The program " + program + " has no predictor, so it has no input or "
                    + "output fields to map to columns");
        }
        List<String> existing = Arrays.asList(input.fieldNames());
        LinkedHashMap<String, Integer> inputIndex = new LinkedHashMap<>();
        List<String> inputFields = predictors.getFirst().signature().inputs().stream().map(Field::name).toList();
        for (String field : job.inputColumns.keySet()) {
            if (!inputFields.contains(field)) {
                throw new IllegalArgumentException("input(\"" + field + "\", ...) names no input field of the program; "
                        + "its input fields are " + inputFields);
            }
        }
        for (String field : inputFields) {
            String column = job.inputColumns.getOrDefault(field, field);
            int index = existing.indexOf(column);
            if (index < 0) {
                throw new IllegalArgumentException("The input column '" + column + "' (for the program's input field '"
                        + field + "') is not in the Dataset; its columns are " + existing + ". Map the field to a "
                        + "column with input(\"" + field + "\", \"<column>\").");
            }
            inputIndex.put(field, index);
        }

        List<OutputColumn> outputs = new ArrayList<>();
        List<StructField> all = new ArrayList<>(Arrays.asList(input.fields()));
        Set<String> taken = outputRows ? new LinkedHashSet<>(existing) : new LinkedHashSet<>();
        List<Field> outputFields = predictors.getLast().signature().outputs();
        for (String field : job.outputColumns.keySet()) {
            if (outputFields.stream().noneMatch(f -> f.name().equals(field))) {
                throw new IllegalArgumentException("output(\"" + field + "\", ...) names no output field of the program; "
                        + "its output fields are " + outputFields.stream().map(Field::name).toList());
            }
        }
        for (Field field : outputFields) {
            String column = job.outputColumns.getOrDefault(field.name(), field.name());
            FieldType type = SparkTypes.unwrapOptional(field.type());
            List<StructField> columns = new ArrayList<>();
            boolean flattened = job.recordLayout == RecordLayout.FLATTENED && type instanceof FieldType.RecordType;
            if (flattened) {
                for (Map.Entry<String, FieldType> component : ((FieldType.RecordType) type).fields().entrySet()) {
                    columns.add(DataTypes.createStructField(column + "_" + component.getKey(),
                            SparkTypes.of(component.getValue()), true));
                }
            } else {
                columns.add(DataTypes.createStructField(column, SparkTypes.of(type), true));
            }
            for (StructField c : columns) {
                claim(taken, c.name(), "the output field '" + field.name() + "'");
            }
            all.addAll(columns);
            outputs.add(new OutputColumn(field.name(), type, List.copyOf(columns), flattened));
        }
        claim(taken, job.errorColumn, "the error column");
        claim(taken, job.usageColumn, "the usage column");
        claim(taken, job.latencyColumn, "the latency column");
        all.add(DataTypes.createStructField(job.errorColumn, DataTypes.StringType, true));
        all.add(DataTypes.createStructField(job.usageColumn, USAGE_TYPE, false));
        all.add(DataTypes.createStructField(job.latencyColumn, DataTypes.LongType, false));
        return new ColumnLayout(input, inputIndex, List.copyOf(outputs),
                new StructType(all.toArray(StructField[]::new)));
    }

    private static void claim(Set<String> taken, String column, String what) {
        if (!taken.add(column)) {
            throw new IllegalArgumentException("The column '" + column + "' for " + what + " is already taken (an input "
                    + "column or another output has that name); rename it with output(field, column), "
                    + "errorColumn/usageColumn/latencyColumn, or drop the input column first");
        }
    }

    /** The schema of the rows {@link SparkPredict#predict} gives. */
    StructType outputSchema() {
        return outputSchema;
    }

    StructType inputSchema() {
        return inputSchema;
    }

    /** Input field -> index of its column in the input rows. */
    Map<String, Integer> inputIndex() {
        return inputIndex;
    }

    List<OutputColumn> outputs() {
        return outputs;
    }

    /** Number of output value columns (before error, usage, latency). */
    int outputWidth() {
        return outputs.stream().mapToInt(o -> o.columns().size()).sum();
    }

}
