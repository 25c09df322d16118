package dev.dspy4j.evaluate;

import dev.dspy4j.run.RunListener;
import java.io.PrintStream;
import java.util.Objects;

/**
 * Progress bars for runs: {@link RunListener}s to pass to {@link Evaluate.Builder#listener},
 * the optimizers' builders, {@code Module.batch} or any {@link dev.dspy4j.run.Runner}.
 *
 * <pre>{@code
 * Evaluate.builder().devset(devset).metric(metric).listener(ProgressBars.terminal()).build();
 * program.batch(examples, Runner.builder().listener(ProgressBars.terminal()).build());
 * }</pre>
 *
 * <p>A bar shows the run's name, items finished out of the total, elapsed time and ETA, and what
 * the run reports besides ({@code Evaluate}'s running score
 * {@code Average Metric: 3.00 / 4 (75.0%) errors: 1}, the optimizers' demos, best score and LM
 * calls), or else the error count. One listener can serve several runs, also at once: each run gets
 * its own bar, closed when the run ends. The progress-bar library draws from one shared, idle
 * daemon thread, started the first time a bar is shown.
 *
 * <p>Stateless factory; the listeners are thread-safe.
 */
public final class ProgressBars {

    private ProgressBars() {}

    /**
     * Bars on standard error, drawn only when the JVM is attached to an interactive terminal (on
     * JDK 22+ {@code Console.isTerminal()} decides), so logs and CI output stay clean.
     */
    public static RunListener terminal() {
        return terminal(System.err);
    }

    /**
     * Bars on {@code out}, drawn only when the JVM is attached to an interactive terminal.
     *
     * @throws NullPointerException if {@code out} is {@code null}
     */
    public static RunListener terminal(PrintStream out) {
        Objects.requireNonNull(out, "out");
        return Terminal.isInteractive() ? new TerminalProgressBar(out) : new RunListener() {
            @Override
            public String toString() {
                return "ProgressBars.terminal (not a terminal: draws nothing)";
            }
        };
    }

    /**
     * Bars on {@code out}, always drawn (also when the output is not a terminal, e.g. a file).
     *
     * @throws NullPointerException if {@code out} is {@code null}
     */
    public static RunListener to(PrintStream out) {
        return new TerminalProgressBar(Objects.requireNonNull(out, "out"));
    }
}
