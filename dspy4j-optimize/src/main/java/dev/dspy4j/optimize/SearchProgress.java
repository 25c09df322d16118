package dev.dspy4j.optimize;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.lm.LM;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.trace.DspyListener;

import java.io.PrintStream;
import java.util.concurrent.atomic.LongAdder;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress bar of one optimizer run: a task name, steps done out of total, ETA, an
 * optimizer-specific message and the LM calls made through {@link #counting} contexts. Shows
 * nothing, and counts nothing, when off.
 */
class SearchProgress implements AutoCloseable {

    static final SearchProgress NONE = new SearchProgress();

    private SearchProgress() {}

    /** A bar titled {@code task} for {@code total} steps, drawn on {@code out}. */
    static SearchProgress start(PrintStream out, String task, int total) {
        return new Bar(out, task, total);
    }

    /** {@code context} with its LM calls (cache hits included) counted into this bar's total. */
    DspyContext counting(DspyContext context) {
        return context;
    }

    /** Records one step, showing {@code message} before the LM calls so far. Called from one thread only. */
    void step(String message) {}

    @Override
    public void close() {}

    private static final class Bar extends SearchProgress implements DspyListener {
        private final ProgressBar bar;
        private final LongAdder lmCalls = new LongAdder();

        Bar(PrintStream out, String task, int total) {
            this.bar = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(out, 120))
                    .setUpdateIntervalMillis(200)
                    .build();
        }

        @Override
        DspyContext counting(DspyContext context) {
            return context.withListener(this);
        }

        @Override
        public void onLmCall(LM lm, LmRequest request, LmResponse response) {
            lmCalls.increment();
        }

        @Override
        void step(String message) {
            bar.setExtraMessage(message + "  LM calls: " + lmCalls.sum());
            bar.step();
        }

        @Override
        public void close() {
            bar.close();
        }
    }
}
