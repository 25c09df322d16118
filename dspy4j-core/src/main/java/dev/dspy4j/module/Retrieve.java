package dev.dspy4j.module;

import dev.dspy4j.DspyException;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.retrieve.Passage;
import dev.dspy4j.retrieve.Retriever;
import dev.dspy4j.trace.ActiveSpan;
import dev.dspy4j.trace.SpanKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Searches a corpus: DSPy's {@code dspy.Retrieve}. Called with a {@code query} (and optionally a
 * {@code k} that overrides the module's), it returns a prediction whose {@code passages} field is
 * the list of the hits' texts, best first, as DSPy's does:
 *
 * <pre>{@code
 * Retrieve retrieve = new Retrieve(3);
 * List<?> passages = (List<?>) retrieve.call("query", "capital of Norway", ctx.withRetriever(index))
 *         .get("passages");
 * List<Passage> scored = retrieve.search("capital of Norway");  // ids, scores and metadata too
 * }</pre>
 *
 * <p>The retriever is the module's own, when it was given one, else the context's
 * ({@link DspyContext#withRetriever}). Each search is a {@link SpanKind#RETRIEVAL} span for the
 * listeners, with the query and {@code k} at its start and the number of hits and the duration at
 * its end.
 *
 * <p>{@code k} is saved with the program, as DSPy saves it ({@code "retrieve": {"k": 3}}): a
 * program loaded from a file ({@link Module#load}) or given other state ({@link Module#withState})
 * searches with the state's {@code k}; a per-call {@code k} still wins. The retriever is not saved.
 * Immutable and thread-safe (as thread-safe as its retriever).
 */
public final class Retrieve extends Module {

    /** DSPy's default {@code k}. */
    public static final int DEFAULT_K = 3;

    private final int k;
    private final @Nullable Retriever retriever;

    /** A module that returns {@value #DEFAULT_K} passages from the context's retriever. */
    public Retrieve() {
        this(DEFAULT_K);
    }

    /**
     * A module that returns {@code k} passages from the context's retriever.
     *
     * @param k passages per search, {@code >= 1}
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public Retrieve(int k) {
        this.k = checkK(k);
        this.retriever = null;
    }

    /**
     * A module that returns {@code k} passages from {@code retriever}, whatever the context's.
     *
     * @param k passages per search, {@code >= 1}
     * @param retriever the retriever (not closed by the module)
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public Retrieve(int k, Retriever retriever) {
        this.k = checkK(k);
        this.retriever = java.util.Objects.requireNonNull(retriever, "retriever");
    }

    /**
     * Passages per search as constructed, unless a call says otherwise. A program with other state
     * (loaded, or {@link Module#withState}) may search with another {@code k}: see
     * {@link ProgramState#retrieveKs()}.
     */
    public int k() {
        return k;
    }

    /** The {@code k} this module searches with under {@code context}: a program state's, else its own. */
    int kIn(DspyContext context) {
        Integer override = ProgramContext.kOverlayFor(context, this);
        return override != null ? override : k;
    }

    /**
     * Runs a search: input {@code query} (a string), optional input {@code k} (an integer).
     *
     * @return {@code passages}: the hits' texts, best first
     * @throws DspyException if {@code query} is missing or no retriever is set
     */
    @Override
    protected Prediction forward(Example inputs) {
        Object query = inputs.get("query");
        if (!(query instanceof String text)) {
            throw new DspyException("Retrieve needs a string input \"query\", got " + inputs.toMap().keySet()
                    + "; call it as retrieve.call(\"query\", \"...\").");
        }
        Object perCall = inputs.get("k");
        if (perCall != null && !(perCall instanceof Integer || perCall instanceof Long)) {
            throw new DspyException("Retrieve's input \"k\" must be an integer, not " + perCall + ".");
        }
        int callK = perCall == null ? kIn(DspyContext.current())
                : checkK((int) Math.clamp(((Number) perCall).longValue(), Integer.MIN_VALUE, Integer.MAX_VALUE));
        List<String> passages = search(text, callK).stream().map(Passage::text).toList();
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("passages", passages);
        return Prediction.of(outputs);
    }

    /**
     * The module's {@code k} best passages for {@code query} (the {@code k} of the program state
     * in effect, if any), with ids, scores and metadata, from the retriever of the context bound to
     * this thread (unless the module has its own).
     *
     * @throws DspyException if no retriever is set
     * @throws dev.dspy4j.retrieve.RetrievalException if the search fails
     */
    public List<Passage> search(String query) {
        return search(query, kIn(DspyContext.current()));
    }

    /**
     * The {@code k} best passages for {@code query}; see {@link #search(String)}.
     *
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public List<Passage> search(String query, int k) {
        checkK(k);
        DspyContext context = DspyContext.current();
        Retriever chosen = retriever != null ? retriever : context.retriever();
        if (chosen == null) {
            throw new DspyException("Retrieve has no retriever: give it one (new Retrieve(k, retriever)) or set one "
                    + "on the context (DspyContext.of(lm).withRetriever(retriever)).");
        }
        if (context.listeners().isEmpty()) {
            return chosen.search(query, k);
        }
        Map<String, Object> start = new LinkedHashMap<>();
        start.put("dspy.retrieval.query", query);
        start.put("dspy.retrieval.k", k);
        ActiveSpan span = context.startSpan(SpanKind.RETRIEVAL, chosen.getClass().getSimpleName(), start);
        long startNanos = System.nanoTime();
        try {
            List<Passage> hits = chosen.search(query, k);
            Map<String, Object> end = new LinkedHashMap<>();
            end.put("dspy.retrieval.hits", hits.size());
            end.put("dspy.retrieval.duration_ms", (System.nanoTime() - startNanos) / 1_000_000.0);
            span.end(end);
            return hits;
        } catch (RuntimeException | Error e) {
            span.fail(e);
            throw e;
        }
    }

    private static int checkK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("Retrieve: k must be >= 1, not " + k + ".");
        }
        return k;
    }

    @Override
    protected Map<String, ?> children() {
        return Map.of();
    }

    @Override
    public String toString() {
        return "Retrieve(k=" + k + (retriever == null ? "" : ", " + retriever) + ")";
    }
}
