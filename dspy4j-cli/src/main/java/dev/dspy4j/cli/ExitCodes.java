package dev.dspy4j.cli;

/**
 * The exit codes of the {@code dspy4j} command, documented in {@code docs/cli.md}.
 *
 * <p>Constants only; not instantiable.
 */
public final class ExitCodes {

    /** Everything worked (for {@code run}: every row has outputs). */
    public static final int OK = 0;
    /** {@code run}: some rows failed; each has an error object in the output, and stderr has the count. */
    public static final int ROWS_FAILED = 1;
    /** A usage error: an unknown option, a missing or conflicting argument. */
    public static final int USAGE = 2;
    /** An input or file error: a file that is missing, unreadable or not the expected JSON. */
    public static final int INPUT = 3;
    /** The LM provider failed: unreachable, authentication, configuration (a missing key), every call failing. */
    public static final int PROVIDER = 4;

    private ExitCodes() {}
}
