package dev.dspy4j.optimize;

import dev.dspy4j.DspyException;
import dev.dspy4j.adapter.Adapter;
import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.module.Module;
import dev.dspy4j.usage.UsageReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A report of one optimizer run: its settings, every trial (score, instruction per predictor, demo
 * count, spend when known), the best program's prompts and the run's total usage, written as one
 * self-contained HTML page ({@link #writeHtml}) or a PNG chart of score per trial ({@link #writePng}).
 *
 * <p>Build one from a result with {@code of(...)} ({@link CoproResult}, {@link MiproResult},
 * {@link GepaResult}, {@link OptimizationResult}) or, for another optimizer, with
 * {@link #builder(String)}. Scores are on DSPy's 0–100 scale (GEPA's 0–1 means are multiplied by
 * 100). The results do not record the LM's tokens or cost per trial except
 * {@link OptimizationResult}'s candidates; add the run's total with {@link #withUsage}, e.g. from a
 * {@link dev.dspy4j.usage.UsageTracker} in the optimizer's context.
 *
 * <p>Immutable and thread-safe. Text that came from an LM (instructions, demos) is HTML-escaped in
 * the page; the chart is drawn by XChart with AWT in headless mode, without a display.
 */
public final class OptimizationReport {

    private final String optimizer;
    private final Map<String, String> settings;
    private final List<Trial> trials;
    private final double bestScore;
    private final List<PredictorPrompt> bestPrompts;
    private final String spendUnit;
    private final UsageReport usage;

    private OptimizationReport(String optimizer, Map<String, String> settings, List<Trial> trials, double bestScore,
                               List<PredictorPrompt> bestPrompts, String spendUnit, UsageReport usage) {
        this.optimizer = optimizer;
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        this.trials = List.copyOf(trials);
        this.bestScore = bestScore;
        this.bestPrompts = List.copyOf(bestPrompts);
        this.spendUnit = spendUnit;
        this.usage = usage;
    }

    /**
     * One evaluation in the run, in the order the optimizer made it (COPRO, which keeps no order,
     * by depth).
     *
     * @param number the trial number, from 1
     * @param score the score, 0 to 100
     * @param fullEvaluation whether it is on the whole valset (otherwise on a minibatch)
     * @param instructions the instruction of each predictor, by path
     * @param demos the number of demos over all predictors
     * @param spendSoFar what the run had spent when this trial ended, in the report's
     *     {@linkplain #spendUnit() unit}, if the optimizer counts it
     * @param usage the tokens and cost of this trial's evaluation, if the result kept them
     */
    public record Trial(int number, double score, boolean fullEvaluation, Map<String, String> instructions,
                        int demos, OptionalLong spendSoFar, Optional<UsageReport> usage) {

        /** @throws NullPointerException if a map or optional is {@code null} */
        public Trial {
            instructions = Collections.unmodifiableMap(new LinkedHashMap<>(instructions));
            Objects.requireNonNull(spendSoFar, "spendSoFar");
            Objects.requireNonNull(usage, "usage");
        }
    }

    /**
     * One predictor of the best program and the prompt it sends, rendered by an adapter with
     * {@code {field}} placeholders for the inputs.
     *
     * @param path the predictor's path
     * @param instructions its instructions
     * @param demos its number of demos
     * @param systemMessage the system message
     * @param userMessage the last user message, inputs as {@code {name}} placeholders
     */
    public record PredictorPrompt(String path, String instructions, int demos, String systemMessage,
                                  String userMessage) {

        /** @throws NullPointerException if a text is {@code null} */
        public PredictorPrompt {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(instructions, "instructions");
            Objects.requireNonNull(systemMessage, "systemMessage");
            Objects.requireNonNull(userMessage, "userMessage");
        }
    }

    /** A report of a {@link Copro} run, the best program's prompts rendered by {@link ChatAdapter#DEFAULT}. */
    public static OptimizationReport of(CoproResult result) {
        return ReportSources.copro(result, ChatAdapter.DEFAULT);
    }

    /** A report of a {@link Copro} run, the best program's prompts rendered by {@code adapter}. */
    public static OptimizationReport of(CoproResult result, Adapter adapter) {
        return ReportSources.copro(result, adapter);
    }

    /** A report of a {@link MiproV2} run, the best program's prompts rendered by {@link ChatAdapter#DEFAULT}. */
    public static OptimizationReport of(MiproResult result) {
        return ReportSources.mipro(result, ChatAdapter.DEFAULT);
    }

    /** A report of a {@link MiproV2} run, the best program's prompts rendered by {@code adapter}. */
    public static OptimizationReport of(MiproResult result, Adapter adapter) {
        return ReportSources.mipro(result, adapter);
    }

    /** A report of a {@link Gepa} run, the best program's prompts rendered by {@link ChatAdapter#DEFAULT}. */
    public static OptimizationReport of(GepaResult result) {
        return ReportSources.gepa(result, ChatAdapter.DEFAULT);
    }

    /** A report of a {@link Gepa} run, the best program's prompts rendered by {@code adapter}. */
    public static OptimizationReport of(GepaResult result, Adapter adapter) {
        return ReportSources.gepa(result, adapter);
    }

    /** A report of a {@link Simba} run, the best program's prompts rendered by {@link ChatAdapter#DEFAULT}. */
    public static OptimizationReport of(SimbaResult result) {
        return ReportSources.simba(result, ChatAdapter.DEFAULT);
    }

    /** A report of a {@link Simba} run, the best program's prompts rendered by {@code adapter}. */
    public static OptimizationReport of(SimbaResult result, Adapter adapter) {
        return ReportSources.simba(result, adapter);
    }

    /**
     * A report of a {@link BootstrapFewShotWithRandomSearch} run, one trial per candidate in seed
     * order with its evaluation's usage; prompts rendered by {@link ChatAdapter#DEFAULT}.
     */
    public static OptimizationReport of(OptimizationResult result) {
        return ReportSources.randomSearch(result, ChatAdapter.DEFAULT);
    }

    /** As {@link #of(OptimizationResult)}, the best program's prompts rendered by {@code adapter}. */
    public static OptimizationReport of(OptimizationResult result, Adapter adapter) {
        return ReportSources.randomSearch(result, adapter);
    }

    /** A builder for the report of another optimizer, named as it should appear in the title. */
    public static Builder builder(String optimizer) {
        return new Builder(optimizer);
    }

    /** The optimizer's name, e.g. {@code MIPROv2}. */
    public String optimizer() {
        return optimizer;
    }

    /** The settings and outcome flags the result recorded, by name, in insertion order. */
    public Map<String, String> settings() {
        return settings;
    }

    /** Every trial, in order. */
    public List<Trial> trials() {
        return trials;
    }

    /** The best program's score, 0 to 100, or {@code NaN} if nothing was scored. */
    public double bestScore() {
        return bestScore;
    }

    /** The best program's predictors and their prompts, in the program's order. */
    public List<PredictorPrompt> bestPrompts() {
        return bestPrompts;
    }

    /** The unit of {@link Trial#spendSoFar()}, e.g. {@code "metric calls"}; empty if no trial has one. */
    public String spendUnit() {
        return spendUnit;
    }

    /** The run's total usage, if one was added with {@link #withUsage}. */
    public Optional<UsageReport> usage() {
        return Optional.ofNullable(usage);
    }

    /**
     * This report with the run's total usage, e.g. {@code tracker.snapshot()} of a
     * {@link dev.dspy4j.usage.UsageTracker} that was in the optimizer's context.
     *
     * @throws NullPointerException if {@code usage} is {@code null}
     */
    public OptimizationReport withUsage(UsageReport usage) {
        return new OptimizationReport(optimizer, settings, trials, bestScore, bestPrompts, spendUnit,
                Objects.requireNonNull(usage, "usage"));
    }

    /**
     * This report with one more setting shown (or one replaced), e.g. the optimizer's configuration.
     *
     * @throws NullPointerException if {@code name} or {@code value} is {@code null}
     */
    public OptimizationReport withSetting(String name, Object value) {
        Map<String, String> more = new LinkedHashMap<>(settings);
        more.put(Objects.requireNonNull(name, "name"), String.valueOf(Objects.requireNonNull(value, "value")));
        return new OptimizationReport(optimizer, more, trials, bestScore, bestPrompts, spendUnit, usage);
    }

    /** The report as one self-contained HTML page (inline CSS, the chart as a {@code data:} PNG). */
    public String toHtml() {
        return ReportHtml.render(this, ReportChart.png(this));
    }

    /**
     * Writes {@link #toHtml()} to {@code file}, creating its directory.
     *
     * @throws DspyException naming the file if it cannot be written
     */
    public void writeHtml(Path file) {
        write(file, toHtml().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes the chart as a PNG: score per trial (minibatch trials apart from full evaluations)
     * and, on a second axis, the spend so far or cumulative cost when known.
     *
     * @throws DspyException naming the file if it cannot be written
     */
    public void writePng(Path file) {
        write(file, ReportChart.png(this));
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new DspyException("Cannot write the optimization report to " + file + ": " + e.getMessage()
                    + ". Check that the directory is writable.", e);
        }
    }

    @Override
    public String toString() {
        return "OptimizationReport[" + optimizer + ", " + trials.size() + " trials, best " + bestScore + "]";
    }

    /** Collects a report's parts. Not thread-safe. */
    public static final class Builder {

        private final String optimizer;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private final List<Trial> trials = new ArrayList<>();
        private double bestScore = Double.NaN;
        private List<PredictorPrompt> bestPrompts = List.of();
        private String spendUnit = "";

        private Builder(String optimizer) {
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        }

        /** Adds a setting to show; a later value for the same name replaces the earlier one. */
        public Builder setting(String name, Object value) {
            settings.put(Objects.requireNonNull(name, "name"), String.valueOf(Objects.requireNonNull(value, "value")));
            return this;
        }

        /** Adds the next trial. */
        public Builder trial(Trial trial) {
            trials.add(Objects.requireNonNull(trial, "trial"));
            return this;
        }

        /** Names the unit of the trials' {@link Trial#spendSoFar()}, e.g. {@code "program runs"}. */
        public Builder spendUnit(String unit) {
            this.spendUnit = Objects.requireNonNull(unit, "unit");
            return this;
        }

        /**
         * Sets the best program and its score; its predictors' prompts are rendered by {@code adapter}.
         *
         * @throws NullPointerException if {@code program} or {@code adapter} is {@code null}
         */
        public Builder best(Module program, double score, Adapter adapter) {
            this.bestPrompts = ReportSources.prompts(program, adapter);
            this.bestScore = score;
            return this;
        }

        /** The report. */
        public OptimizationReport build() {
            return new OptimizationReport(optimizer, settings, trials, bestScore, bestPrompts, spendUnit, null);
        }
    }
}
