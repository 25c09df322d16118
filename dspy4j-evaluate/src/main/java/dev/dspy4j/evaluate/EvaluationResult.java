package dev.dspy4j.evaluate;

import dev.dspy4j.usage.UsageReport;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of {@link Evaluate#run}: scores on DSPy's 0–100 scale, one result per example, and
 * the usage of the run. Immutable and thread-safe.
 */
public final class EvaluationResult {

    private final List<String> metricNames;
    private final List<ExampleResult> results;
    private final Map<String, Double> scores;
    private final UsageReport usage;

    EvaluationResult(List<String> metricNames, List<ExampleResult> results, UsageReport usage) {
        this.metricNames = List.copyOf(metricNames);
        this.results = List.copyOf(results);
        this.usage = usage;
        Map<String, Double> byMetric = new LinkedHashMap<>();
        for (String name : metricNames) {
            double sum = 0;
            for (ExampleResult result : results) {
                sum += result.scores().get(name).value();
            }
            byMetric.put(name, results.isEmpty() ? 0.0 : percent(sum, results.size()));
        }
        this.scores = Collections.unmodifiableMap(byMetric);
    }

    /**
     * A result assembled from per-example results computed elsewhere, e.g. on the executors of a
     * distributed evaluation: the scores are computed here exactly as {@link Evaluate#run} computes
     * them (each metric's mean over all results, times 100, rounded to 2 decimals).
     *
     * @param metricNames the metric names, the primary one first
     * @param results one result per example, in devset order (their {@code index} is not checked)
     * @param usage the usage of the whole run
     * @return the result
     * @throws IllegalArgumentException if there is no metric name, or a result lacks a score for one
     * @throws NullPointerException if an argument is {@code null}
     */
    public static EvaluationResult of(List<String> metricNames, List<ExampleResult> results, UsageReport usage) {
        java.util.Objects.requireNonNull(usage, "usage");
        if (java.util.Objects.requireNonNull(metricNames, "metricNames").isEmpty()) {
            throw new IllegalArgumentException("metricNames must hold at least the primary metric's name");
        }
        for (ExampleResult result : java.util.Objects.requireNonNull(results, "results")) {
            for (String name : metricNames) {
                if (!result.scores().containsKey(name)) {
                    throw new IllegalArgumentException("The result of example " + result.index()
                            + " has no score for metric '" + name + "'; it has " + result.scores().keySet());
                }
            }
        }
        return new EvaluationResult(metricNames, results, usage);
    }

    /**
     * DSPy's {@code round(100 * sum / n, 2)}: the exact binary value, rounded half to even like
     * Python's {@code round}.
     */
    static double percent(double sum, int count) {
        return new BigDecimal(100 * sum / count).setScale(2, RoundingMode.HALF_EVEN).doubleValue();
    }

    /**
     * The primary metric's mean over all examples (failed ones at the failure score), times 100,
     * rounded to 2 decimals as DSPy does. {@code 0.0} for an empty devset.
     */
    public double score() {
        return scores.get(metricNames.get(0));
    }

    /** Every metric's score on the same scale, by name, the primary metric first. */
    public Map<String, Double> scores() {
        return scores;
    }

    /** The metric names, the primary one first. */
    public List<String> metricNames() {
        return metricNames;
    }

    /** One result per example, in devset order. */
    public List<ExampleResult> results() {
        return results;
    }

    /** How many examples failed (program or metric threw, or timed out). */
    public int errors() {
        return (int) results.stream().filter(ExampleResult::failed).count();
    }

    /** The number of examples evaluated (the devset's size). */
    public int total() {
        return results.size();
    }

    /**
     * Tokens and cost of every LM call the run made (program and LM-judge metrics), per model;
     * calls served from a cache are reported separately.
     */
    public UsageReport usage() {
        return usage;
    }

    /**
     * An ASCII table of the first {@code maxRows} results: inputs, outputs, each metric's score, the
     * feedback of metrics that gave some, and the error. Long values are shortened.
     *
     * @throws IllegalArgumentException if {@code maxRows < 0}
     */
    public String toTable(int maxRows) {
        if (maxRows < 0) {
            throw new IllegalArgumentException("maxRows must not be negative, got " + maxRows);
        }
        return ResultFormats.table(this, maxRows);
    }

    /**
     * Writes every result as CSV (RFC 4180): {@code index}, the example's fields, the prediction's
     * fields prefixed {@code pred_}, one column per metric, {@code <metric>_feedback} for each metric
     * that gave feedback, and {@code error}.
     *
     * @throws dev.dspy4j.DspyException naming the file if it cannot be written
     */
    public void writeCsv(Path file) {
        ResultFormats.writeCsv(this, file);
    }

    /**
     * Writes the scores and every result as JSON: {@code score}, {@code scores}, {@code total},
     * {@code errors} and {@code results}, each with {@code index}, {@code example},
     * {@code prediction}, {@code scores}, {@code feedback} (by metric, only non-empty ones),
     * {@code error} and {@code usage}.
     *
     * @throws dev.dspy4j.DspyException naming the file if it cannot be written
     */
    public void writeJson(Path file) {
        ResultFormats.writeJson(this, file);
    }

    /**
     * Writes the scores, every result and the usage as one self-contained HTML page: inline CSS, no
     * script, no external resource, every value HTML-escaped (inputs, outputs and feedback may hold
     * markup). Columns as {@link #writeCsv}; failed examples are highlighted. For a chart of score
     * per trial, see {@code dev.dspy4j.optimize.OptimizationReport}.
     *
     * @throws dev.dspy4j.DspyException naming the file if it cannot be written
     */
    public void writeHtml(Path file) {
        ResultFormats.writeHtml(this, file);
    }

    @Override
    public String toString() {
        return "EvaluationResult[score=" + score() + ", scores=" + scores + ", errors=" + errors() + " of "
                + total() + "]";
    }
}
