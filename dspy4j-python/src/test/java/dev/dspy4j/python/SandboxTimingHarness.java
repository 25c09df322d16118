package dev.dspy4j.python;

import dev.dspy4j.module.CodeSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How long GraalPyInterpreter takes, cold and warm: run by {@code bench/run-python-sandbox.sh} in a
 * fresh JVM each time (not a test; timings never go in tests). Prints one block of milliseconds.
 */
public final class SandboxTimingHarness {

    private static final String CODE = "import math\nvalues = [math.sqrt(i) for i in range(1000)]\n"
            + "SUBMIT({'answer': round(sum(values), 3)})";

    private SandboxTimingHarness() {}

    /** Entry point: {@code [warm runs]}, default 50. */
    public static void main(String[] args) {
        int warmRuns = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        long jvmStart = ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
        long t0 = System.nanoTime();
        try (GraalPyInterpreter python = GraalPyInterpreter.create()) {
            long engine = System.nanoTime();
            CodeSession first = python.openSession(List.of());
            long context = System.nanoTime();
            first.execute(CODE);
            long firstRun = System.nanoTime();
            first.close();

            List<Double> sessions = new ArrayList<>();
            List<Double> executes = new ArrayList<>();
            for (int i = 0; i < warmRuns; i++) {
                long start = System.nanoTime();
                try (CodeSession session = python.openSession(List.of())) {
                    long opened = System.nanoTime();
                    session.execute(CODE);
                    long done = System.nanoTime();
                    executes.add((done - opened) / 1e6);
                }
                sessions.add((System.nanoTime() - start) / 1e6);
            }
            System.out.printf(Locale.ROOT, "JVM start to main:                 %8.0f ms%n",
                    jvmStart == 0 ? Double.NaN : (double) (System.currentTimeMillis() - jvmStart)
                            - (System.nanoTime() - t0) / 1e6);
            System.out.printf(Locale.ROOT, "engine (GraalPyInterpreter.create): %7.0f ms%n", (engine - t0) / 1e6);
            System.out.printf(Locale.ROOT, "first context (runner prelude):     %7.0f ms%n", (context - engine) / 1e6);
            System.out.printf(Locale.ROOT, "first execute:                      %7.0f ms%n", (firstRun - context) / 1e6);
            System.out.printf(Locale.ROOT, "cold total (create to first result): %6.0f ms%n", (firstRun - t0) / 1e6);
            System.out.printf(Locale.ROOT, "warm session (open, execute, close), %d runs: median %.1f ms, p90 %.1f ms, "
                    + "last 10 median %.1f ms%n", warmRuns, percentile(sessions, 50), percentile(sessions, 90),
                    percentile(sessions.subList(Math.max(0, warmRuns - 10), warmRuns), 50));
            System.out.printf(Locale.ROOT, "warm execute alone: median %.1f ms, p90 %.1f ms%n",
                    percentile(executes, 50), percentile(executes, 90));
        }
    }

    private static double percentile(List<Double> values, int p) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
