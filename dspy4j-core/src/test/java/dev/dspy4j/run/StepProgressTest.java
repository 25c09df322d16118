package dev.dspy4j.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepProgressTest {

    /** Writes each event as a line: what happened and the counts then. */
    private static final class Log implements RunListener {
        final List<String> lines = new ArrayList<>();

        @Override
        public void onRunStarted(RunProgress run) {
            lines.add("started " + run.name() + " " + run.finished() + "/" + run.total());
        }

        @Override
        public void onItemStarted(RunProgress run, int index) {
            lines.add("item " + index);
        }

        @Override
        public void onItemSucceeded(RunProgress run, ItemResult.Succeeded<?> result) {
            lines.add("done " + run.finished() + "/" + run.total() + " " + run.note());
        }

        @Override
        public void onRunFinished(RunProgress run, RunResult<?> result) {
            lines.add("finished " + result.status() + " " + run.finished() + "/" + result.items().size());
        }
    }

    @Test
    void reportsEachStepAsARunnerReportsAnItemAndEndsCompleted() {
        Log log = new Log();

        StepProgress progress = StepProgress.start("Search", 2, List.of(log));
        progress.step("best: 1");
        progress.step("best: 2");
        progress.step("past the total: not counted");
        progress.finish(true);
        progress.finish(true);

        assertThat(log.lines).containsExactly("started Search 0/2", "item 0", "done 1/2 best: 1", "item 1",
                "done 2/2 best: 2", "finished COMPLETED 2/2");
        assertThat(progress.done()).isEqualTo(2);
    }

    @Test
    void aRunStoppedEarlyEndsCancelledWithItsRemainingItemsCancelled() {
        Log log = new Log();
        List<RunResult<?>> results = new ArrayList<>();
        RunListener keep = new RunListener() {
            @Override
            public void onRunFinished(RunProgress run, RunResult<?> result) {
                results.add(result);
            }
        };

        StepProgress progress = StepProgress.start("Search", 3, List.of(log, keep));
        progress.step("");
        progress.finish(false);

        assertThat(log.lines).last().isEqualTo("finished CANCELLED 1/3");
        assertThat(results.get(0).items()).extracting(item -> item.getClass().getSimpleName())
                .containsExactly("Succeeded", "Cancelled", "Cancelled");
    }

    @Test
    void aFailingListenerDoesNotStopTheOthers() {
        Log log = new Log();
        RunListener failing = new RunListener() {
            @Override
            public void onItemSucceeded(RunProgress run, ItemResult.Succeeded<?> result) {
                throw new IllegalStateException("boom");
            }
        };

        StepProgress progress = StepProgress.start("Search", 1, List.of(failing, log));
        progress.step("");
        progress.finish(true);

        assertThat(log.lines).contains("done 1/1 ", "finished COMPLETED 1/1");
    }
}
