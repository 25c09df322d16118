package dev.dspy4j.evaluate;

import java.lang.reflect.Method;

/** Whether the JVM talks to an interactive terminal: {@link ProgressBars#terminal()} draws only then. */
final class Terminal {

    private Terminal() {}

    /**
     * Whether the JVM is attached to an interactive terminal. On JDK 22+ {@code System.console()}
     * is non-null even when output is redirected, so {@code Console.isTerminal()} decides when
     * present (called reflectively: the code targets Java 21).
     */
    static boolean isInteractive() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = console.getClass().getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true;   // JDK 21: a console exists only for a terminal
        }
    }
}
