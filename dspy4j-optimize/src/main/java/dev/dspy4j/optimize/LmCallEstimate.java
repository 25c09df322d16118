package dev.dspy4j.optimize;

/**
 * An upper bound on the LM calls an optimizer will make, from DSPy's formulas, computed before a
 * run. A "run" is one execution of the program; each run calls every predictor at most once
 * unless the program loops, so {@link #lmCalls()} assumes {@code predictorsPerRun} calls per run.
 * Adapter fallbacks and retries can add calls; cache hits remove them.
 *
 * @param teacherRuns bootstrapping runs: at most {@code |train| × rounds} per bootstrap
 * @param evaluationRuns runs that score candidates: {@code candidates × |val|}
 * @param predictorsPerRun the number of predictors in the program
 * @param promptCalls calls outside program runs, e.g. an instruction optimizer's proposals
 */
public record LmCallEstimate(long teacherRuns, long evaluationRuns, int predictorsPerRun, long promptCalls) {

    /**
     * @throws IllegalArgumentException if a count is negative
     */
    public LmCallEstimate {
        if (teacherRuns < 0 || evaluationRuns < 0 || predictorsPerRun < 0 || promptCalls < 0) {
            throw new IllegalArgumentException("Counts must not be negative: " + teacherRuns + ", "
                    + evaluationRuns + ", " + predictorsPerRun + ", " + promptCalls + ".");
        }
    }

    /**
     * An estimate of program runs only (no prompt calls).
     *
     * @throws IllegalArgumentException if a count is negative
     */
    public LmCallEstimate(long teacherRuns, long evaluationRuns, int predictorsPerRun) {
        this(teacherRuns, evaluationRuns, predictorsPerRun, 0);
    }

    /** All program runs. */
    public long programRuns() {
        return teacherRuns + evaluationRuns;
    }

    /** The upper bound on LM calls: runs × predictors per run, plus the prompt calls. */
    public long lmCalls() {
        return programRuns() * predictorsPerRun + promptCalls;
    }

    @Override
    public String toString() {
        return "at most " + lmCalls() + " LM calls (" + teacherRuns + " teacher runs + " + evaluationRuns
                + " evaluation runs, " + predictorsPerRun + " predictors per run"
                + (promptCalls == 0 ? "" : ", " + promptCalls + " prompt calls") + ")";
    }
}
