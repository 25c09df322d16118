package dev.dspy4j.cli;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.evaluate.ProgressBars;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.module.Module;
import dev.dspy4j.run.ItemResult;
import dev.dspy4j.run.RunResult;
import dev.dspy4j.run.Runner;
import dev.dspy4j.trace.LmHistory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code dspy4j run}: a program over JSON lines, one output line per input line, in input order. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs a program on JSON lines (stdin or --input) and writes one JSON line per input line "
                + "(stdout or --output): {\"line\":N,\"inputs\":{...},\"outputs\":{...}} or, for a failed line, "
                + "{\"line\":N,\"inputs\":{...},\"error\":{\"type\":...,\"message\":...}}.",
            "Example: dspy4j run --signature \"question -> answer\" --lm openai/gpt-4o-mini --program qa.json "
                + "< questions.jsonl"})
final class RunCommand implements Callable<Integer> {

    @ParentCommand
    @Nullable Dspy4jCli parent;

    @Mixin
    ProgramOptions program = new ProgramOptions();

    @Mixin
    LmSettings lm = new LmSettings();

    @Option(names = "--input", paramLabel = "FILE", description = "JSON lines to read (default: stdin)")
    @Nullable Path input;

    @Option(names = "--output", paramLabel = "FILE", description = "where to write the JSON lines (default: stdout)")
    @Nullable Path output;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "8",
            description = "rows run at once (default: ${DEFAULT-VALUE})")
    int concurrency = 8;

    @Option(names = "--history", paramLabel = "FILE",
            description = "record every LM call of the run to this JSON lines file (print it with dspy4j history)")
    @Nullable Path history;

    @Override
    public Integer call() throws IOException {
        CliIo io = java.util.Objects.requireNonNull(parent).io();
        if (concurrency < 1) {
            throw CliException.usage("--concurrency must be 1 or more, got " + concurrency);
        }
        Module module = program.load();
        List<JsonLines.Row> rows = JsonLines.read(input, io.in(), "--input");
        Lm model = lm.build(io.environment());
        LmHistory calls = LmHistory.builder().capacity(HistoryFile.MAX_CALLS).build();
        DspyContext context = history == null ? DspyContext.of(model) : DspyContext.of(model).withInterceptors(calls);

        List<JsonLines.Row> valid = rows.stream().filter(row -> row.problem() == null).toList();
        Runner.Builder runner = Runner.builder().name("run").concurrency(concurrency).maxErrors(Integer.MAX_VALUE)
                .context(context);
        if (io.terminal()) {
            runner.listener(ProgressBars.to(io.err()));
        }
        RunResult<Prediction> result = runner.build().run(valid, row -> module.call(row.values(), context));

        List<Throwable> errors = new ArrayList<>();
        PrintStream out = output == null ? io.out() : open(output);
        try {
            int next = 0;
            for (JsonLines.Row row : rows) {
                var line = JsonLines.MAPPER.createObjectNode();
                line.put("line", row.line());
                line.set("inputs", JsonLines.toJson(row.values()));
                if (row.problem() != null) {
                    line.set("error", error("InputError", row.problem()));
                    errors.add(new IllegalArgumentException(row.problem()));
                } else {
                    switch (result.items().get(next++)) {
                        case ItemResult.Succeeded<Prediction> ok -> line.set("outputs",
                                JsonLines.toJson(ok.value() == null ? java.util.Map.of() : ok.value().toMap()));
                        case ItemResult.Failed<Prediction> failed -> {
                            line.set("error", error(typeName(failed.error()), String.valueOf(failed.error().getMessage())));
                            errors.add(failed.error());
                        }
                        case ItemResult.Cancelled<Prediction> cancelled -> {
                            line.set("error", error("Cancelled", "the run stopped before this row finished"));
                            errors.add(new IllegalStateException("cancelled"));
                        }
                    }
                }
                out.println(JsonLines.write(line));
            }
            out.flush();
        } finally {
            if (output != null) {
                out.close();
            }
        }
        if (history != null) {
            HistoryFile.write(history, calls.calls());
        }
        return exitCode(io, rows.size(), errors);
    }

    private static int exitCode(CliIo io, int total, List<Throwable> errors) {
        if (errors.isEmpty()) {
            return ExitCodes.OK;
        }
        if (errors.size() == total && errors.stream().allMatch(e -> e instanceof LmException)) {
            io.err().println("dspy4j run: every row failed at the LM provider: " + errors.getFirst().getMessage());
            return ExitCodes.PROVIDER;
        }
        io.err().println("dspy4j run: " + errors.size() + " of " + total
                + " rows failed (each has an \"error\" object in the output)");
        return ExitCodes.ROWS_FAILED;
    }

    private static tools.jackson.databind.JsonNode error(String type, String message) {
        var error = JsonLines.MAPPER.createObjectNode();
        error.put("type", type);
        error.put("message", message);
        return error;
    }

    /** {@code LmException.Transport} rather than {@code Transport} or the package-qualified name. */
    static String typeName(Throwable error) {
        Class<?> type = error.getClass();
        String name = type.getSimpleName();
        for (Class<?> outer = type.getEnclosingClass(); outer != null; outer = outer.getEnclosingClass()) {
            name = outer.getSimpleName() + "." + name;
        }
        return name;
    }

    private static PrintStream open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            OutputStream stream = Files.newOutputStream(file);
            return new PrintStream(stream, false, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliException.input("--output " + file + ": cannot write: " + e.getMessage(), e);
        }
    }
}
