package dev.dspy4j.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.Objects;

/**
 * What the commands see of the world: standard streams, the environment (API keys and base URLs
 * are read from it, never from arguments) and whether stderr is an interactive terminal (progress
 * bars and colors only then).
 *
 * @param in standard input
 * @param out standard output: results only
 * @param err standard error: progress, summaries and errors
 * @param environment the environment variables
 * @param terminal whether {@code err} is an interactive terminal
 */
public record CliIo(InputStream in, PrintStream out, PrintStream err, Map<String, String> environment,
                    boolean terminal) {

    /** @throws NullPointerException if any argument is {@code null} */
    public CliIo {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        environment = Map.copyOf(environment);
    }

    /**
     * The process's own streams and environment. A terminal when the system property
     * {@code dspy4j.terminal} says so ({@code scripts/dspy4j} sets it from whether stderr is one),
     * else when the JVM has an interactive console (stdin and stdout both a terminal).
     */
    public static CliIo system() {
        String told = System.getProperty("dspy4j.terminal");
        boolean terminal = told != null ? Boolean.parseBoolean(told) : interactive();
        return new CliIo(System.in, System.out, System.err, System.getenv(), terminal);
    }

    private static boolean interactive() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // JDK 22+ returns a console even when redirected; it then says whether it is a terminal
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException onJdk21) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
