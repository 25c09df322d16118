package dev.dspy4j.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The progress of a run whose owner takes its steps itself, one after another, instead of handing
 * items to a {@link Runner}: an optimizer's trials or steps. It tells {@link RunListener}s what a
 * runner would: {@code onRunStarted}, then {@code onItemStarted} and {@code onItemSucceeded} per
 * step, then {@code onRunFinished}, so the same progress bars and loggers serve both.
 *
 * <p>The total is fixed at the start. A run that ends early (a budget, a score reached) finishes
 * {@link RunStatus#CANCELLED} with its remaining items {@link ItemResult.Cancelled}; steps past the
 * total are not counted. As with a runner, a listener that throws is logged and ignored.
 *
 * <pre>{@code
 * StepProgress progress = StepProgress.start("MiproV2", trials, listeners);
 * for (...) { ...; progress.step("best: " + best); }
 * progress.finish(true);
 * }</pre>
 *
 * <p>Thread-safe: calls are serialized.
 */
public final class StepProgress {

    private static final Logger LOG = LoggerFactory.getLogger(StepProgress.class);

    private final RunProgress progress;
    private final List<RunListener> listeners;
    private final List<ItemResult<Void>> items = new ArrayList<>();
    private final long start = System.nanoTime();
    private long last = start;
    private boolean finished;

    private StepProgress(String name, int total, List<? extends RunListener> listeners) {
        this.progress = new RunProgress(name, total, 1);
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Starts a run of {@code total} steps and tells the listeners.
     *
     * @param name the run's name, shown by progress bars
     * @param total the steps the run will take if it is not stopped early
     * @param listeners the listeners, called in order
     * @return the run's progress
     * @throws IllegalArgumentException if {@code total} is negative
     * @throws NullPointerException if an argument is {@code null}
     */
    public static StepProgress start(String name, int total, List<? extends RunListener> listeners) {
        Objects.requireNonNull(name, "name");
        if (total < 0) {
            throw new IllegalArgumentException("total must not be negative, not " + total + ".");
        }
        StepProgress run = new StepProgress(name, total, Objects.requireNonNull(listeners, "listeners"));
        run.notifyListeners(listener -> listener.onRunStarted(run.progress));
        return run;
    }

    /**
     * One step is done.
     *
     * @param note what the owner reports besides the counts (e.g. the best score), or {@code ""}
     */
    public synchronized void step(String note) {
        if (finished || items.size() >= progress.total()) {
            return;
        }
        long now = System.nanoTime();
        int index = items.size();
        progress.itemStarted();
        notifyListeners(listener -> listener.onItemStarted(progress, index));
        ItemResult.Succeeded<Void> done = new ItemResult.Succeeded<>(index, null, Duration.ofNanos(now - last));
        last = now;
        items.add(done);
        progress.itemSucceeded();
        progress.note(note);
        notifyListeners(listener -> listener.onItemSucceeded(progress, done));
    }

    /** How many steps are done. */
    public synchronized int done() {
        return items.size();
    }

    /**
     * The run ended; later calls do nothing.
     *
     * @param completed whether it ran to its end ({@link RunStatus#COMPLETED}, also when it took
     *     fewer steps than the total) or was stopped early ({@link RunStatus#CANCELLED})
     */
    public synchronized void finish(boolean completed) {
        if (finished) {
            return;
        }
        finished = true;
        List<ItemResult<Void>> all = new ArrayList<>(items);
        for (int i = all.size(); i < progress.total(); i++) {
            all.add(new ItemResult.Cancelled<>(i, false, Duration.ZERO));
        }
        RunResult<Void> result = new RunResult<>(completed ? RunStatus.COMPLETED : RunStatus.CANCELLED, all,
                Duration.ofNanos(System.nanoTime() - start));
        notifyListeners(listener -> listener.onRunFinished(progress, result));
    }

    private void notifyListeners(java.util.function.Consumer<RunListener> event) {
        for (RunListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("Run listener {} failed; ignoring it for this event", listener, e);
            }
        }
    }
}
