package dev.dspy4j.evaluate;

import dev.dspy4j.run.ItemResult;
import dev.dspy4j.run.RunListener;
import dev.dspy4j.run.RunProgress;
import dev.dspy4j.run.RunResult;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** {@link ProgressBars#to(PrintStream)}: one ASCII bar per run, keyed by the run's progress object. */
final class TerminalProgressBar implements RunListener {

    private final PrintStream out;
    private final Map<RunProgress, ProgressBar> bars = new ConcurrentHashMap<>();

    TerminalProgressBar(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onRunStarted(RunProgress run) {
        bars.put(run, new ProgressBarBuilder()
                .setTaskName(run.name())
                .setInitialMax(run.total())
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(out, 120))
                .setUpdateIntervalMillis(200)
                .build());
    }

    @Override
    public void onItemSucceeded(RunProgress run, ItemResult.Succeeded<?> result) {
        update(run);
    }

    @Override
    public void onItemFailed(RunProgress run, ItemResult.Failed<?> result) {
        update(run);
    }

    @Override
    public void onRunFinished(RunProgress run, RunResult<?> result) {
        ProgressBar bar = bars.remove(run);
        if (bar != null) {
            bar.close();
        }
    }

    private void update(RunProgress run) {
        ProgressBar bar = bars.get(run);
        if (bar != null) {
            bar.setExtraMessage(run.note().isEmpty() ? "errors: " + run.failed() : run.note());
            bar.stepTo(run.finished());
        }
    }

    @Override
    public String toString() {
        return "ProgressBars.to(" + out + ")";
    }
}
