package dev.dspy4j.trace;

/** What a {@link Span} covers. */
public enum SpanKind {
    /** A module's call ({@code forward}), from a user program down to ChainOfThought. */
    MODULE,
    /** One predictor call: format, LM, parse (with the adapter's fallback if it is used). */
    PREDICTOR,
    /** One LM call through the interceptor chain, cache hits and retries included. */
    LM_CALL,
    /** One attempt at the provider inside an LM call: a retry is a second attempt. */
    LM_ATTEMPT,
    /** An adapter turning a completion into outputs. */
    ADAPTER_PARSE,
    /** A tool called by an agent. */
    TOOL_CALL,
    /** An evaluation run, or one example inside it. */
    EVALUATION,
    /** One step of an optimizer (a candidate, a round, a trial). */
    OPTIMIZER_STEP,
    /**
     * One search by a retriever, from the {@code Retrieve} module: starts with
     * {@code dspy.retrieval.query} and {@code dspy.retrieval.k}, ends with
     * {@code dspy.retrieval.hits} and {@code dspy.retrieval.duration_ms}.
     */
    RETRIEVAL,
    /**
     * A {@code Runner} run ({@code Module.batch}, {@code Parallel}, {@code Runner.run}) or an async
     * call ({@code callAsync}, {@code Runner.async}) started outside any other span, on the caller's
     * thread, so that the items it runs on other threads share it as their parent instead of each
     * being a root. Named after the runner ({@code run}, {@code Parallel}) or {@code async}; starts
     * with {@code dspy.run.items} and {@code dspy.run.concurrency}, ends with
     * {@code dspy.run.status}, {@code dspy.run.succeeded} and {@code dspy.run.failed}; a run stopped
     * by {@code maxErrors}, its cancellation token or an interrupt fails with the
     * {@code RunCancelledException} that {@code RunResult.orThrow()} would throw. Runs inside
     * another span (a module's {@code forward}, an evaluation, an optimizer step) need no such span
     * and have none.
     */
    RUN
}
