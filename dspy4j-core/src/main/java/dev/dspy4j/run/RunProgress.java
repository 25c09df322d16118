package dev.dspy4j.run;

/**
 * A read-only view of one run in progress, given to {@link RunListener}s: its name, size and
 * counts, and a note from the run's owner (e.g. {@code Evaluate}'s running average). Each run has
 * its own instance, so a listener shared by several runs can tell them apart by identity.
 *
 * <p>Thread-safe. Read inside a listener callback, the values are those of that event (listener
 * calls are serialized with the updates); read elsewhere, they may already be newer.
 */
public final class RunProgress {

    private final String name;
    private final int total;
    private final int concurrency;
    private volatile int started;
    private volatile int succeeded;
    private volatile int failed;
    private volatile String note = "";

    RunProgress(String name, int total, int concurrency) {
        this.name = name;
        this.total = total;
        this.concurrency = concurrency;
    }

    /** The runner's name, e.g. {@code "Evaluate"}; progress bars show it as the task name. */
    public String name() {
        return name;
    }

    /** How many items the run was given. */
    public int total() {
        return total;
    }

    /** How many items run at once at most. */
    public int concurrency() {
        return concurrency;
    }

    /** How many items have started. */
    public int started() {
        return started;
    }

    /** How many items have succeeded. */
    public int succeeded() {
        return succeeded;
    }

    /** How many items have failed. */
    public int failed() {
        return failed;
    }

    /** How many items have finished, successfully or not. */
    public int finished() {
        return succeeded + failed;
    }

    /**
     * What the run's owner reports besides the counts, e.g.
     * {@code "Average Metric: 3.00 / 4 (75.0%) errors: 1"}; empty when it reports nothing.
     */
    public String note() {
        return note;
    }

    void itemStarted() {
        started++;
    }

    void itemSucceeded() {
        succeeded++;
    }

    void itemFailed() {
        failed++;
    }

    void note(String text) {
        note = text == null ? "" : text;
    }

    @Override
    public String toString() {
        return name + "[" + finished() + "/" + total + ", failed=" + failed + (note.isEmpty() ? "" : ", " + note) + "]";
    }
}
