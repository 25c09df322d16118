package dev.dspy4j.cli;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.evaluate.Metric;
import dev.dspy4j.evaluate.ProgressBars;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.PredictorState;
import dev.dspy4j.optimize.BootstrapFewShot;
import dev.dspy4j.optimize.BootstrapResult;
import dev.dspy4j.optimize.Budget;
import dev.dspy4j.optimize.Copro;
import dev.dspy4j.optimize.CoproResult;
import dev.dspy4j.optimize.Gepa;
import dev.dspy4j.optimize.GepaResult;
import dev.dspy4j.optimize.MiproResult;
import dev.dspy4j.optimize.MiproV2;
import dev.dspy4j.optimize.OptimizationReport;
import dev.dspy4j.run.RunListener;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code dspy4j optimize}: compiles a program on a trainset and saves the learned state. */
@Command(name = "optimize", mixinStandardHelpOptions = true,
        description = {"Optimizes a program on a trainset (JSON lines with gold fields) and saves the result "
                + "(load it with --program, inspect it with dspy4j inspect).",
            "Optimizers: bootstrap (BootstrapFewShot), mipro-light (MIPROv2, auto=light), copro (COPRO), "
                + "gepa-light (GEPA, auto=light, the task LM reflects).",
            "Example: dspy4j optimize --signature \"question -> answer\" --lm openai/gpt-4o-mini "
                + "--trainset train.jsonl --optimizer bootstrap --out optimized.json"})
final class OptimizeCommand implements Callable<Integer> {

    /** The optimizers {@code --optimizer} accepts. */
    static final List<String> OPTIMIZERS = List.of("bootstrap", "mipro-light", "copro", "gepa-light");

    @ParentCommand
    @Nullable Dspy4jCli parent;

    @Mixin
    ProgramOptions program = new ProgramOptions();

    @Mixin
    LmSettings lm = new LmSettings();

    @Mixin
    TaskOptions task = new TaskOptions();

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "bootstrap",
            description = "bootstrap, mipro-light, copro or gepa-light (default: ${DEFAULT-VALUE})")
    String optimizer = "bootstrap";

    @Option(names = "--trainset", paramLabel = "FILE", required = true, description = "the trainset, JSON lines")
    Path trainset = Path.of("");

    @Option(names = "--valset", paramLabel = "FILE",
            description = "examples to score candidates on (default: the optimizer's split of the trainset)")
    @Nullable Path valset;

    @Option(names = {"--out", "--output"}, paramLabel = "FILE", required = true,
            description = "where to save the optimized program (--output is the same option, as in run)")
    Path out = Path.of("");

    @Option(names = "--report", paramLabel = "FILE",
            description = "also write the optimization report (trials, scores, best prompts) as HTML; "
                    + "mipro-light, copro and gepa-light")
    @Nullable Path report;

    @Option(names = "--max-bootstrapped-demos", paramLabel = "N", defaultValue = "4",
            description = "bootstrapped demos per predictor (default: ${DEFAULT-VALUE})")
    int maxBootstrapped = 4;

    @Option(names = "--max-labeled-demos", paramLabel = "N", defaultValue = "4",
            description = "labeled demos per predictor (default: ${DEFAULT-VALUE})")
    int maxLabeled = 4;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "9", description = "the random seed (default: ${DEFAULT-VALUE})")
    long seed = 9;

    @Option(names = "--max-lm-calls", paramLabel = "N",
            description = "stop the optimizer after this many LM calls (default: no limit)")
    @Nullable Long maxLmCalls;

    @Override
    public Integer call() {
        CliIo io = java.util.Objects.requireNonNull(parent).io();
        task.checkConcurrency();
        if (!OPTIMIZERS.contains(optimizer)) {
            throw CliException.usage("--optimizer " + optimizer + " is not one of " + String.join(", ", OPTIMIZERS));
        }
        if (maxBootstrapped < 0 || maxLabeled < 0) {
            throw CliException.usage("--max-bootstrapped-demos and --max-labeled-demos must be 0 or more");
        }
        if (maxLmCalls != null && maxLmCalls < 1) {
            throw CliException.usage("--max-lm-calls must be 1 or more, got " + maxLmCalls);
        }
        if (report != null && optimizer.equals("bootstrap")) {
            throw CliException.usage("--report: bootstrap has no trials to report; mipro-light, copro and "
                    + "gepa-light do");
        }
        if (report != null && !report.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".html")) {
            throw CliException.usage("--report " + report + ": the optimization report is HTML; name it .html");
        }
        if (optimizer.equals("copro") && valset != null) {
            // DSPy's COPRO has no valset: candidates are scored on the trainset
            io.err().println("dspy4j optimize: copro scores candidates on --trainset; --valset is not used");
        }
        Module module = program.load();
        List<Example> train = task.examples(JsonLines.examples(trainset, "--trainset"), module, "--trainset");
        List<Example> val = valset == null ? List.of()
                : task.examples(JsonLines.examples(valset, "--valset"), module, "--valset");
        Lm model = lm.build(io.environment());
        DspyContext context = DspyContext.of(model);
        Metric metric = task.metric(module, context);
        RunListener progress = io.terminal() ? ProgressBars.to(io.err()) : new RunListener() {};
        Budget budget = maxLmCalls == null ? Budget.unlimited() : Budget.ofLmCalls(maxLmCalls);
        Outcome outcome;
        try {
            outcome = switch (optimizer) {
                case "bootstrap" -> {
                    BootstrapResult result = BootstrapFewShot.builder().metric(metric)
                            .maxBootstrappedDemos(maxBootstrapped).maxLabeledDemos(maxLabeled).seed(seed)
                            .concurrency(task.concurrency).budget(budget).listener(progress).build()
                            .bootstrap(module, train, context);
                    yield new Outcome(result.program(), result.budgetExhausted(), null);
                }
                case "mipro-light" -> {
                    MiproResult result = MiproV2.builder().metric(metric).auto(MiproV2.Auto.LIGHT)
                            .maxBootstrappedDemos(maxBootstrapped).maxLabeledDemos(maxLabeled).seed(seed)
                            .concurrency(task.concurrency).budget(budget).listener(progress).build()
                            .search(module, train, val, context);
                    yield new Outcome(result.bestProgram(), result.budgetExhausted(), result.report());
                }
                case "copro" -> {
                    CoproResult result = Copro.builder().metric(metric).evaluationConcurrency(task.concurrency)
                            .budget(budget).listener(progress).build().optimize(module, train, context);
                    yield new Outcome(result.bestProgram(), result.budgetExhausted(), result.report());
                }
                default -> {
                    GepaResult result = Gepa.builder().metric(metric).auto(Gepa.Auto.LIGHT).reflectionLm(model)
                            .seed(seed).evaluationConcurrency(task.concurrency).budget(budget).listener(progress)
                            .build().optimize(module, train, val, context);
                    yield new Outcome(result.bestProgram(), result.budgetExhausted(), result.report());
                }
            };
        } catch (IllegalArgumentException e) {
            throw CliException.input(optimizer + " cannot run on this data: " + e.getMessage(), e);
        }
        Module optimized = outcome.program();
        if (outcome.budgetExhausted()) {
            io.err().println("dspy4j optimize: the budget of " + maxLmCalls + " LM calls ran out; saving the best "
                    + "program found before it did");
        }
        optimized.save(out);
        io.out().println(summary(optimized));
        io.err().println("dspy4j optimize: saved " + out);
        if (report != null && outcome.report() != null) {
            outcome.report().writeHtml(report);
            io.err().println("dspy4j optimize: wrote " + report);
        }
        return ExitCodes.OK;
    }

    /** What an optimizer returned: the program, whether the budget ended it, its trial report if it has one. */
    private record Outcome(Module program, boolean budgetExhausted, @Nullable OptimizationReport report) {}

    private static String summary(Module optimized) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, PredictorState> entry : optimized.state().predictors().entrySet()) {
            text.append(entry.getKey()).append(": ").append(entry.getValue().demos().size()).append(" demos");
            String instructions = entry.getValue().signature().instructions().replace('\n', ' ');
            text.append(", instructions: ").append(instructions.length() > 70
                    ? instructions.substring(0, 67) + "..." : instructions).append('\n');
        }
        return text.toString().stripTrailing();
    }
}
