package dev.dspy4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code dspy4j history}: prints a recorded LM history as DSPy's {@code inspect_history} does. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = {"Prints the LM calls recorded by run --history, as DSPy's inspect_history prints them.",
            "Example: dspy4j history --last 2 history.jsonl"})
final class HistoryCommand implements Callable<Integer> {

    private static final String BLUE = "\u001b[34m";
    private static final String RED = "\u001b[31m";
    private static final String GREEN = "\u001b[32m";
    private static final String RESET = "\u001b[0m";

    @ParentCommand
    @Nullable Dspy4jCli parent;

    @Parameters(paramLabel = "FILE", description = "a history file written by dspy4j run --history FILE")
    Path file = Path.of("");

    @Option(names = {"-n", "--last"}, paramLabel = "N", description = "only the last N calls (default: all)")
    @Nullable Integer last;

    @Override
    public Integer call() {
        CliIo io = java.util.Objects.requireNonNull(parent).io();
        if (last != null && last < 1) {
            throw CliException.usage("--last must be 1 or more, got " + last);
        }
        List<HistoryFile.Entry> entries = HistoryFile.read(file);
        if (last != null && last < entries.size()) {
            entries = entries.subList(entries.size() - last, entries.size());
        }
        boolean color = io.terminal() && !io.environment().containsKey("NO_COLOR");
        StringBuilder out = new StringBuilder();
        for (HistoryFile.Entry entry : entries) {
            out.append("\n\n\n\n");
            colored(out, BLUE, "[" + entry.timestamp() + "]", color).append("\n\n");
            for (HistoryFile.Sent message : entry.messages()) {
                String role = message.role().isEmpty() ? ""
                        : Character.toUpperCase(message.role().charAt(0)) + message.role().substring(1);
                colored(out, RED, role + " message:", color).append("\n\n");
                out.append(message.content().strip()).append("\n\n\n");
            }
            colored(out, RED, "Response:", color).append("\n\n");
            colored(out, GREEN, entry.outputs().isEmpty() ? "" : entry.outputs().getFirst().strip(), color)
                    .append("\n\n");
            if (entry.outputs().size() > 1) {
                colored(out, RED, " \t (and " + (entry.outputs().size() - 1) + " other completions)", color)
                        .append('\n');
            }
        }
        out.append("\n\n\n\n");
        io.out().print(out);
        io.out().flush();
        return ExitCodes.OK;
    }

    private static StringBuilder colored(StringBuilder out, String code, String text, boolean color) {
        return color ? out.append(code).append(text).append(RESET) : out.append(text);
    }
}
