package dev.dspy4j.cli;

import dev.dspy4j.lm.LmException;
import dev.dspy4j.module.StateLoadException;
import dev.dspy4j.signature.SignatureException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code dspy4j} command: runs, evaluates, optimizes, inspects and exports saved programs, and
 * prints LM histories. {@code dspy4j --help} and {@code dspy4j <command> --help} list the options;
 * {@code docs/cli.md} has an example of each command.
 *
 * <p>Results go to stdout (JSON lines, tables); progress, summaries and errors to stderr. Progress
 * bars and colors appear only when stderr is a terminal. Exit codes: {@link ExitCodes}.
 */
@Command(name = "dspy4j", mixinStandardHelpOptions = true, versionProvider = Dspy4jCli.Version.class,
        description = "Run, evaluate, optimize, inspect and export dspy4j and DSPy programs.",
        subcommands = {RunCommand.class, EvaluateCommand.class, OptimizeCommand.class, InspectCommand.class,
            ExportCommand.class, HistoryCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:run: some rows failed (each has an error object in the output)",
            "2:usage error (unknown option, missing or conflicting arguments)",
            "3:input or file error (missing, unreadable or malformed file)",
            "4:LM provider failure (unreachable, authentication, missing API key)"},
        footerHeading = "%nEnvironment:%n",
        footer = {"  OPENAI_API_KEY, ANTHROPIC_API_KEY, <PROVIDER>_API_KEY   API keys (never pass keys as arguments)",
            "  OPENAI_BASE_URL, <PROVIDER>_API_BASE                   endpoints (or --base-url)",
            "  NO_COLOR                                               no ANSI colors"})
public final class Dspy4jCli {

    private final CliIo io;

    Dspy4jCli(CliIo io) {
        this.io = io;
    }

    CliIo io() {
        return io;
    }

    /**
     * Runs the command line with the process's streams and environment and exits with its code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(execute(CliIo.system(), args));
    }

    /**
     * Runs one command line in-process and returns its exit code ({@link ExitCodes}); nothing
     * escapes as an exception.
     *
     * @param io the streams and environment the commands use
     * @param args the arguments
     * @return the exit code
     * @throws NullPointerException if an argument is {@code null}
     */
    public static int execute(CliIo io, String... args) {
        Objects.requireNonNull(io, "io");
        CommandLine line = commandLine(io);
        return line.execute(args);
    }

    static CommandLine commandLine(CliIo io) {
        CommandLine line = new CommandLine(new Dspy4jCli(io));
        line.setCaseInsensitiveEnumValuesAllowed(true);
        line.setOut(new java.io.PrintWriter(io.out(), true));
        line.setErr(new java.io.PrintWriter(io.err(), true));
        line.setColorScheme(CommandLine.Help.defaultColorScheme(
                io.terminal() && !io.environment().containsKey("NO_COLOR")
                        ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
        line.setExecutionExceptionHandler((error, failed, parseResult) -> {
            Failure failure = Failure.of(error);
            failed.getErr().println("dspy4j " + failed.getCommandName() + ": " + failure.message());
            failed.getErr().flush();
            return failure.exitCode();
        });
        return line;
    }

    /** An exception as the one line and exit code the user sees. */
    record Failure(int exitCode, String message) {

        static Failure of(Throwable error) {
            Throwable cause = error;
            if (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            return switch (cause) {
                case CliException e -> new Failure(e.exitCode(), e.getMessage());
                case LmException e -> new Failure(ExitCodes.PROVIDER, "the LM provider failed: " + e.getMessage());
                case StateLoadException e -> new Failure(ExitCodes.INPUT, e.getMessage());
                case UncheckedIOException e -> new Failure(ExitCodes.INPUT, e.getMessage());
                case IOException e -> new Failure(ExitCodes.INPUT, e.toString());
                case SignatureException e -> new Failure(ExitCodes.USAGE, "bad signature: " + e.getMessage());
                default -> new Failure(1, "unexpected " + cause);
            };
        }
    }

    /** The version from the jar's manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Dspy4jCli.class.getPackage().getImplementationVersion();
            return new String[] {"dspy4j " + (version == null ? "(development build)" : version)};
        }
    }
}
