package dev.dspy4j.cli;

/** A failure the CLI reports as one line on stderr and an exit code (see {@link ExitCodes}). */
final class CliException extends RuntimeException {

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    static CliException usage(String message) {
        return new CliException(ExitCodes.USAGE, message);
    }

    static CliException input(String message) {
        return new CliException(ExitCodes.INPUT, message);
    }

    static CliException input(String message, Throwable cause) {
        return new CliException(ExitCodes.INPUT, message, cause);
    }

    int exitCode() {
        return exitCode;
    }
}
