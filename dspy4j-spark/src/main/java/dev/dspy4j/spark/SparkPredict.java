package dev.dspy4j.spark;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.module.Module;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Batch predict over a Spark {@code Dataset<Row>}: the program runs on every row, on the
 * executors, and each row comes back with its input columns plus the program's outputs, an error,
 * the tokens used and the latency. Nothing is dropped: a row whose call fails keeps its inputs and
 * carries the error.
 *
 * <pre>{@code
 * SparkPredict predict = SparkPredict.builder()
 *         .program(SparkProgram.chainOfThought("question -> answer").withStateFile(Path.of("qa.json")))
 *         .lm(LmConfig.builder("openai/gpt-4o-mini").apiKeyFromEnv("OPENAI_API_KEY").build())
 *         .cache(CacheConfig.redis("redis://cache:6379"))
 *         .rateLimit(RateLimitConfig.requestsPerMinute(600).burst(20))
 *         .maxInFlight(16)
 *         .input("question", "q")
 *         .build();
 * Dataset<Row> answered = predict.predict(questions);
 * }</pre>
 *
 * <p><b>Columns.</b> Each input field of the program's first predictor is read from the column of
 * the same name, or the one given with {@link Builder#input(String, String)}. Each output field of
 * its last predictor becomes a column of the same name (or {@link Builder#output(String, String)})
 * typed after the signature: {@code str} string, {@code int} long, {@code float} double,
 * {@code bool} boolean, {@code list[T]} array, {@code dict[str, T]} map, {@code Literal} and enums
 * string, records struct (or flattened, {@link Builder#recordLayout(RecordLayout)}), anything else
 * a JSON string. Then {@code error} (string, {@code null} when the row succeeded, else
 * {@code "Type: message"}), {@code usage} (struct of {@code prompt_tokens},
 * {@code completion_tokens}, {@code total_tokens}: the tokens paid for, zeros when every call was
 * served from the cache) and {@code latency_ms} (long); their names can be changed.
 *
 * <p><b>On the executors.</b> Each executor JVM builds the program and one LM client once per
 * job configuration and shares them between its tasks. The client's chain is: cache (memory tier,
 * then Redis) → retry → shared rate limiter → at most {@link Builder#maxInFlight(int)} calls in
 * flight per executor → HTTP client, so cached rows take no permit and no slot. Each partition
 * is streamed: at most {@link Builder#rowsInFlight(int)} rows of it run at once, each on its own
 * virtual thread with a deadline of {@link Builder#rowTimeout(Duration)}, and rows come out in
 * input order. A killed or cancelled task interrupts its rows' calls.
 *
 * <p><b>Resuming.</b> With a {@link CacheConfig}, every answered call is in Redis as soon as it
 * returns; re-running a job that was killed mid-way pays only for the rows it had not answered.
 *
 * <p>Immutable, serializable and thread-safe; {@link #predict(Dataset)} may be called many times.
 */
public final class SparkPredict implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Default calls in flight per executor. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 8;
    /** Default deadline of one row (every LM call and retry of it). */
    public static final Duration DEFAULT_ROW_TIMEOUT = Duration.ofMinutes(10);

    final SparkProgram program;
    final LmConfig lm;
    final CacheConfig cache;            // may be null
    final RateLimitConfig rateLimit;    // may be null
    final int maxInFlight;
    final int rowsInFlight;
    final Duration rowTimeout;
    final LinkedHashMap<String, String> inputColumns;   // field -> column, overrides only
    final LinkedHashMap<String, String> outputColumns;  // field -> column, overrides only
    final RecordLayout recordLayout;
    final SparkAdapter adapter;
    final String errorColumn;
    final String usageColumn;
    final String latencyColumn;

    private SparkPredict(Builder builder) {
        this.program = builder.program;
        this.lm = builder.lm;
        this.cache = builder.cache;
        this.rateLimit = builder.rateLimit;
        this.maxInFlight = builder.maxInFlight;
        this.rowsInFlight = builder.rowsInFlight > 0 ? builder.rowsInFlight : 2 * builder.maxInFlight;
        this.rowTimeout = builder.rowTimeout;
        this.inputColumns = new LinkedHashMap<>(builder.inputColumns);
        this.outputColumns = new LinkedHashMap<>(builder.outputColumns);
        this.recordLayout = builder.recordLayout;
        this.adapter = builder.adapter;
        this.errorColumn = builder.errorColumn;
        this.usageColumn = builder.usageColumn;
        this.latencyColumn = builder.latencyColumn;
    }

    /** A builder; {@link Builder#program(SparkProgram)} and {@link Builder#lm(LmConfig)} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the program on every row of {@code input}, lazily: the result is a Dataset whose
     * schema is {@link #outputSchema(StructType)} and whose rows are computed when an action runs
     * (write, collect, count...). Before returning, on the driver: builds the program and loads
     * its state, builds an LM client once (so a missing key fails here), and checks that every
     * input column exists.
     *
     * @param input the rows; any partitioning (each partition runs as one task)
     * @return the rows in input order with the output, error, usage and latency columns
     * @throws IllegalArgumentException if an input column is missing (naming it and the columns that
     *     exist) or an output column would clash with an input column
     * @throws dev.dspy4j.module.StateLoadException if the saved state does not fit the program
     * @throws dev.dspy4j.lm.LmException.Configuration if the LM cannot be configured here
     */
    public Dataset<Row> predict(Dataset<Row> input) {
        Objects.requireNonNull(input, "input");
        return SparkJobs.predict(this, input);
    }

    /**
     * The schema {@link #predict(Dataset)} gives for input of this schema: the input columns,
     * then one column per output field, then the error, usage and latency columns.
     *
     * @throws IllegalArgumentException as {@link #predict(Dataset)}
     */
    public StructType outputSchema(StructType inputSchema) {
        Objects.requireNonNull(inputSchema, "inputSchema");
        return ColumnLayout.of(this, program.build(), inputSchema).outputSchema();
    }

    /** The program. */
    public SparkProgram program() {
        return program;
    }

    /** The LM configuration. */
    public LmConfig lm() {
        return lm;
    }

    /** Input column overrides, by field name. */
    public Map<String, String> inputColumns() {
        return Collections.unmodifiableMap(inputColumns);
    }

    /** The settings, never a secret. */
    @Override
    public String toString() {
        return "SparkPredict[" + program + ", " + lm + (cache == null ? "" : ", " + cache)
                + (rateLimit == null ? "" : ", " + rateLimit) + ", maxInFlight=" + maxInFlight + ", rowsInFlight="
                + rowsInFlight + ", rowTimeout=" + rowTimeout + (adapter == SparkAdapter.CHAT ? "" : ", adapter=" + adapter)
                + (inputColumns.isEmpty() ? "" : ", inputs=" + inputColumns) + "]";
    }

    /** The context a row runs in, before its own interceptors: the executor's LM and the adapter. */
    DspyContext context(ExecutorRuntime runtime) {
        return DspyContext.of(runtime.lm).withAdapter(adapter.adapter());
    }

    /** The fingerprint of what the executor runtime is built from. */
    String runtimeFingerprintText() {
        return program.fingerprintText() + "|" + lm.fingerprintText() + "|"
                + (cache == null ? "-" : cache.fingerprintText()) + "|"
                + (rateLimit == null ? "-" : rateLimit.fingerprintText()) + "|inFlight=" + maxInFlight;
    }

    /** Settings of {@link SparkPredict}; each is checked as it is set. Not thread-safe. */
    public static final class Builder {
        private SparkProgram program;
        private LmConfig lm;
        private CacheConfig cache;
        private RateLimitConfig rateLimit;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private int rowsInFlight;
        private Duration rowTimeout = DEFAULT_ROW_TIMEOUT;
        private final Map<String, String> inputColumns = new LinkedHashMap<>();
        private final Map<String, String> outputColumns = new LinkedHashMap<>();
        private RecordLayout recordLayout = RecordLayout.STRUCT;
        private SparkAdapter adapter = SparkAdapter.CHAT;
        private String errorColumn = "error";
        private String usageColumn = "usage";
        private String latencyColumn = "latency_ms";

        private Builder() {
        }

        /** The program to run. Required. */
        public Builder program(SparkProgram value) {
            this.program = Objects.requireNonNull(value, "program");
            return this;
        }

        /** How each executor builds its LM client. Required. */
        public Builder lm(LmConfig value) {
            this.lm = Objects.requireNonNull(value, "lm");
            return this;
        }

        /** The shared response cache (default: none; every run pays for every call). */
        public Builder cache(CacheConfig value) {
            this.cache = Objects.requireNonNull(value, "cache");
            return this;
        }

        /** The rate limit shared by all executors (default: none). */
        public Builder rateLimit(RateLimitConfig value) {
            this.rateLimit = Objects.requireNonNull(value, "rateLimit");
            return this;
        }

        /**
         * The most LM calls in flight at once per executor JVM, across its tasks (default
         * {@value #DEFAULT_MAX_IN_FLIGHT}); the cluster's total is this times the executors.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxInFlight(int calls) {
            if (calls < 1) {
                throw new IllegalArgumentException("maxInFlight must be 1 or more, got " + calls);
            }
            this.maxInFlight = calls;
            return this;
        }

        /**
         * The most rows of one partition running at once (default: twice {@link #maxInFlight(int)});
         * bounds the memory a task holds.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder rowsInFlight(int rows) {
            if (rows < 1) {
                throw new IllegalArgumentException("rowsInFlight must be 1 or more, got " + rows);
            }
            this.rowsInFlight = rows;
            return this;
        }

        /**
         * The deadline of one row, all its calls and retries included (default 10 minutes), counted
         * from when the row starts, so waits for a call slot or a rate-limit permit count too; a
         * row past it is interrupted and carries a {@code TimeoutException} error.
         *
         * @throws IllegalArgumentException unless positive
         */
        public Builder rowTimeout(Duration value) {
            Objects.requireNonNull(value, "rowTimeout");
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException("rowTimeout must be positive, got " + value);
            }
            this.rowTimeout = value;
            return this;
        }

        /** Reads the input field {@code field} from column {@code column} (default: the column named as the field). */
        public Builder input(String field, String column) {
            inputColumns.put(nonBlank(field, "field"), nonBlank(column, "column"));
            return this;
        }

        /** Writes the output field {@code field} to column {@code column} (default: the column named as the field). */
        public Builder output(String field, String column) {
            outputColumns.put(nonBlank(field, "field"), nonBlank(column, "column"));
            return this;
        }

        /** How record-typed outputs are laid out (default {@link RecordLayout#STRUCT}). */
        public Builder recordLayout(RecordLayout value) {
            this.recordLayout = Objects.requireNonNull(value, "recordLayout");
            return this;
        }

        /**
         * The adapter of every call (default {@link SparkAdapter#CHAT}, as DSPy's default). Name
         * the one the program was optimized with: a saved program does not record it.
         */
        public Builder adapter(SparkAdapter value) {
            this.adapter = Objects.requireNonNull(value, "adapter");
            return this;
        }

        /** The error column's name (default {@code error}). */
        public Builder errorColumn(String name) {
            this.errorColumn = nonBlank(name, "errorColumn");
            return this;
        }

        /** The usage column's name (default {@code usage}). */
        public Builder usageColumn(String name) {
            this.usageColumn = nonBlank(name, "usageColumn");
            return this;
        }

        /** The latency column's name (default {@code latency_ms}). */
        public Builder latencyColumn(String name) {
            this.latencyColumn = nonBlank(name, "latencyColumn");
            return this;
        }

        /**
         * The job.
         *
         * @throws IllegalStateException if the program or the LM is missing, or a rate limit has
         *     no Redis (neither its own nor a cache's)
         */
        public SparkPredict build() {
            if (program == null) {
                throw new IllegalStateException("No program: call program(SparkProgram.predict(\"question -> answer\")) "
                        + "or another SparkProgram before build()");
            }
            if (lm == null) {
                throw new IllegalStateException("No LM: call lm(LmConfig.builder(\"openai/gpt-4o-mini\")...build()) "
                        + "before build()");
            }
            if (rateLimit != null && rateLimit.url() == null && cache == null) {
                throw new IllegalStateException("The rate limit needs a Redis: set cache(CacheConfig.redis(url)) or "
                        + "rateLimit(...redis(url))");
            }
            return new SparkPredict(this);
        }

        private static String nonBlank(String value, String what) {
            Objects.requireNonNull(value, what);
            if (value.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
            return value;
        }
    }

    Module buildProgram() {
        return program.build();
    }
}
