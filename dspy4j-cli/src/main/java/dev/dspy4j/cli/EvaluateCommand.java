package dev.dspy4j.cli;

import com.github.freva.asciitable.AsciiTable;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.evaluate.Evaluate;
import dev.dspy4j.evaluate.EvaluationResult;
import dev.dspy4j.evaluate.ExampleResult;
import dev.dspy4j.evaluate.ProgressBars;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.module.Module;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code dspy4j evaluate}: a program's score on a dev set, as a table, with an optional report. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Scores a program on a dev set (JSON lines with gold fields) and prints a score table.",
            "Example: dspy4j evaluate --signature \"question -> answer\" --program qa.json --lm openai/gpt-4o-mini "
                + "--devset dev.jsonl --metric f1 --report report.html"})
final class EvaluateCommand implements Callable<Integer> {

    @ParentCommand
    @Nullable Dspy4jCli parent;

    @Mixin
    ProgramOptions program = new ProgramOptions();

    @Mixin
    LmSettings lm = new LmSettings();

    @Mixin
    TaskOptions task = new TaskOptions();

    @Option(names = "--devset", paramLabel = "FILE", required = true, description = "the dev set, JSON lines")
    Path devset = Path.of("");

    @Option(names = "--report", paramLabel = "FILE",
            description = "also write the per-example results: .html, .json or .csv (by the file's extension)")
    @Nullable Path report;

    @Option(names = "--show", paramLabel = "N", defaultValue = "0",
            description = "also print the first N examples with their predictions and scores")
    int show;

    @Override
    public Integer call() {
        CliIo io = java.util.Objects.requireNonNull(parent).io();
        task.checkConcurrency();
        String format = report == null ? "" : reportFormat(report);
        Module module = program.load();
        List<Example> examples = task.examples(JsonLines.examples(devset, "--devset"), module, "--devset");
        DspyContext context = DspyContext.of(lm.build(io.environment()));
        Evaluate.Builder evaluate = Evaluate.builder().devset(examples).metric(task.metric, task.metric(module, context))
                .concurrency(task.concurrency).maxErrors(Integer.MAX_VALUE);
        if (io.terminal()) {
            evaluate.listener(ProgressBars.to(io.err()));
        }
        EvaluationResult result = evaluate.build().run(module, context);
        io.out().println(scoreTable(result));
        if (show > 0) {
            io.out().println(result.toTable(show));
        }
        io.out().flush();
        if (report != null) {
            switch (format) {
                case "html" -> result.writeHtml(report);
                case "json" -> result.writeJson(report);
                default -> result.writeCsv(report);
            }
            io.err().println("dspy4j evaluate: wrote " + report);
        }
        return failuresExitCode(io, result);
    }

    static String scoreTable(EvaluationResult result) {
        List<Object[]> rows = new java.util.ArrayList<>();
        for (String name : result.metricNames()) {
            rows.add(new Object[] {name, String.format(Locale.ROOT, "%.2f%%", result.scores().get(name)),
                result.total(), result.errors()});
        }
        return AsciiTable.getTable(new String[] {"metric", "score", "examples", "errors"},
                rows.toArray(Object[][]::new));
    }

    /**
     * Every example failing at the provider is a provider failure; otherwise the scores count the
     * errors, and stderr says how many there were and why the first failed.
     */
    static int failuresExitCode(CliIo io, EvaluationResult result) {
        if (result.total() > 0 && result.errors() == result.total()
                && result.results().stream().allMatch(r -> r.error() instanceof LmException)) {
            ExampleResult first = result.results().getFirst();
            io.err().println("dspy4j: every example failed at the LM provider: "
                    + java.util.Objects.requireNonNull(first.error()).getMessage());
            return ExitCodes.PROVIDER;
        }
        if (result.errors() > 0) {
            // the table counts them; say why, or a failing judge looks like a score of 0
            Throwable first = result.results().stream().map(ExampleResult::error).filter(java.util.Objects::nonNull)
                    .findFirst().orElseThrow();
            String message = String.valueOf(first.getMessage()).strip();
            int line = message.indexOf('\n');
            io.err().println("dspy4j evaluate: " + result.errors() + " of " + result.total()
                    + " examples failed and score 0; the first: " + first.getClass().getSimpleName() + ": "
                    + (line < 0 ? message : message.substring(0, line)));
        }
        return ExitCodes.OK;
    }

    private static String reportFormat(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        for (String format : List.of("html", "json", "csv")) {
            if (name.endsWith("." + format)) {
                return format;
            }
        }
        throw CliException.usage("--report " + file + ": name it .html, .json or .csv");
    }
}
