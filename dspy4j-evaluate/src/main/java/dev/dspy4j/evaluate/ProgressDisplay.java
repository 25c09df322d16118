package dev.dspy4j.evaluate;

import java.io.PrintStream;
import java.util.concurrent.atomic.DoubleAdder;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress bar of one evaluation: examples done out of total, ETA, and DSPy's running score
 * text {@code Average Metric: 3.00 / 4 (75.0%)} plus the error count.
 */
class ProgressDisplay implements AutoCloseable {

    /** Shows nothing. */
    static final ProgressDisplay NONE = new ProgressDisplay();

    private ProgressDisplay() {}

    static ProgressDisplay start(PrintStream out, int total) {
        return new Bar(out, total);
    }

    /** Records one finished example. Thread-safe. */
    void exampleDone(double score, int errors) {}

    @Override
    public void close() {}

    private static final class Bar extends ProgressDisplay {
        private final ProgressBar bar;
        private final DoubleAdder sum = new DoubleAdder();
        private int done;

        Bar(PrintStream out, int total) {
            this.bar = new ProgressBarBuilder()
                    .setTaskName("Evaluate")
                    .setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(out, 120))
                    .setUpdateIntervalMillis(200)
                    .build();
        }

        @Override
        synchronized void exampleDone(double score, int errors) {
            sum.add(score);
            done++;
            double total = sum.sum();
            String percent = String.format(java.util.Locale.ROOT, "%.1f", 100.0 * total / done);
            bar.setExtraMessage(String.format(java.util.Locale.ROOT, "Average Metric: %.2f / %d (%s%%) errors: %d",
                    total, done, percent, errors));
            bar.step();
        }

        @Override
        public void close() {
            bar.close();
        }
    }
}
