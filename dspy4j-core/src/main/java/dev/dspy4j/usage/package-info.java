/**
 * Token usage and cost. A {@link dev.dspy4j.usage.UsageTracker} sums the tokens of LM calls per
 * model, with cache hits apart, either for one program run (as a listener in the run's
 * {@link dev.dspy4j.context.DspyContext}) or for every call through one LM (as an interceptor in
 * its chain). {@link dev.dspy4j.usage.UsageTracker#snapshot()} gives an immutable
 * {@link dev.dspy4j.usage.UsageReport}, priced with a {@link dev.dspy4j.usage.PriceTable}.
 */
@NullMarked
package dev.dspy4j.usage;

import org.jspecify.annotations.NullMarked;
