package dev.dspy4j.optimize;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress bar of one random search: candidates scored out of total, ETA, the best score so
 * far and the LM calls made. Shows nothing when off.
 */
class SearchProgress implements AutoCloseable {

    static final SearchProgress NONE = new SearchProgress();

    private SearchProgress() {}

    static SearchProgress start(PrintStream out, int candidates) {
        return new Bar(out, candidates);
    }

    /** Records a scored (or budget-cancelled) candidate. Called from the search's thread only. */
    void candidateDone(double bestScore, long lmCalls) {}

    @Override
    public void close() {}

    private static final class Bar extends SearchProgress {
        private final ProgressBar bar;

        Bar(PrintStream out, int candidates) {
            this.bar = new ProgressBarBuilder()
                    .setTaskName("Random search")
                    .setInitialMax(candidates)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(out, 120))
                    .setUpdateIntervalMillis(200)
                    .build();
        }

        @Override
        void candidateDone(double bestScore, long lmCalls) {
            bar.setExtraMessage(String.format(Locale.ROOT, "best: %s  LM calls: %d",
                    Double.isNaN(bestScore) ? "-" : String.format(Locale.ROOT, "%.2f", bestScore), lmCalls));
            bar.step();
        }

        @Override
        public void close() {
            bar.close();
        }
    }
}
