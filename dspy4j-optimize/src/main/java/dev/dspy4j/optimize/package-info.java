/**
 * Optimizers: learn few-shot demos or instructions for a program from examples, DSPy's teleprompters.
 *
 * <p>An {@link dev.dspy4j.optimize.Optimizer} takes a program, a trainset (and optionally a
 * valset) and returns a <em>new</em> program with learned state; the program given is never
 * changed, and the result can run beside it on other threads.
 *
 * <ul>
 *   <li>{@link dev.dspy4j.optimize.LabeledFewShot}: labelled examples as demos, no LM calls.</li>
 *   <li>{@link dev.dspy4j.optimize.BootstrapFewShot}: demos from the traces of a teacher's runs
 *       that pass a {@link dev.dspy4j.evaluate.Metric}.</li>
 *   <li>{@link dev.dspy4j.optimize.BootstrapFewShotWithRandomSearch}: several bootstrapped
 *       candidates, scored concurrently with {@link dev.dspy4j.evaluate.Evaluate}; the best wins,
 *       see {@link dev.dspy4j.optimize.OptimizationResult}.</li>
 *   <li>{@link dev.dspy4j.optimize.KnnFewShot}: bootstraps on the nearest examples at each call.</li>
 *   <li>{@link dev.dspy4j.optimize.Ensemble}: several programs, one reduced answer.</li>
 *   <li>{@link dev.dspy4j.optimize.Copro}: instructions (and last-field prefixes) proposed by an
 *       LM and scored on the trainset, depth after depth; see
 *       {@link dev.dspy4j.optimize.CoproResult}.</li>
 *   <li>{@link dev.dspy4j.optimize.MiproV2}: instructions proposed by a prompt LM from the data and
 *       the program, searched (with demo sets) by a {@link dev.dspy4j.optimize.TrialSampler}; see
 *       {@link dev.dspy4j.optimize.MiproResult}.</li>
 *   <li>{@link dev.dspy4j.optimize.Gepa}: evolves instructions from a metric's textual feedback
 *       (DSPy's GEPA), with {@link dev.dspy4j.optimize.GepaResult} as its detailed results.</li>
 *   <li>{@link dev.dspy4j.optimize.Simba}: demos and LM-written advice learned from the examples
 *       whose sampled runs disagree most, mini-batch by mini-batch; see
 *       {@link dev.dspy4j.optimize.SimbaResult}.</li>
 * </ul>
 *
 * <p>Cost: {@link dev.dspy4j.optimize.Optimizer#estimate} bounds the LM calls before a run, and a
 * {@link dev.dspy4j.optimize.Budget} stops a bootstrap or a search cleanly when its limit is
 * reached, returning the best program found so far.
 * {@link dev.dspy4j.optimize.OptimizationReport} turns a run's result into a report (trials,
 * the best program's prompts, usage) written as one HTML page or a PNG chart of score per trial.
 * Randomness is seeded ({@code seed}, default 0): the same seed, data and LM responses give the
 * same demos. The draws come from a port of CPython's {@code random.Random}, so with seed 0 the
 * shuffles, demo counts and labelled samples are DSPy's.
 */
package dev.dspy4j.optimize;
