package dev.dspy4j.run;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link RunListener#logFailures(boolean)}. */
final class FailureLog implements RunListener {

    private static final Logger LOG = LoggerFactory.getLogger(Runner.class);

    private final boolean stackTraces;

    FailureLog(boolean stackTraces) {
        this.stackTraces = stackTraces;
    }

    @Override
    public void onItemFailed(RunProgress run, ItemResult.Failed<?> result) {
        if (stackTraces) {
            LOG.warn("{}: item {} failed", run.name(), result.index(), result.error());
        } else {
            LOG.warn("{}: item {} failed: {}. Log with stack traces for the traceback.", run.name(), result.index(),
                    RunCancelledException.describe(result.error()));
        }
    }

    @Override
    public String toString() {
        return "RunListener.logFailures(" + stackTraces + ")";
    }
}
