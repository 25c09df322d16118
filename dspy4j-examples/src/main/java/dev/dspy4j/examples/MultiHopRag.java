package dev.dspy4j.examples;

import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.module.ChainOfThought;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Retrieve;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * DSPy's classic multi-hop RAG program: for each hop, a {@link ChainOfThought} writes a search
 * query from the question and the context found so far ({@code GenerateSearchQuery}), a
 * {@link Retrieve} fetches {@code k} passages, and the new ones are added to the context; after the
 * last hop another {@code ChainOfThought} answers from the context ({@code GenerateAnswer}).
 *
 * <p>Its predictor paths are DSPy's for the same Python module ({@code self.generate_query = [...]},
 * {@code self.generate_answer}): {@code generate_query[0].predict}, {@code generate_query[1].predict},
 * {@code generate_answer.predict}, and its {@link Retrieve} is saved at {@code retrieve} as
 * {@code {"k": ...}}, as DSPy saves a {@code dspy.Retrieve} attribute, so a program of this shape
 * saved by DSPy loads into it. The retriever comes from the context
 * ({@code DspyContext.withRetriever}). Returns {@code context} (the passages, deduplicated, in the
 * order found), {@code reasoning} and {@code answer}. Thread-safe: it holds no per-call state.
 */
public final class MultiHopRag extends Module {

    /** DSPy's {@code max_hops} default in its multi-hop examples. */
    public static final int MAX_HOPS = 2;
    /** Passages per hop (DSPy's {@code passages_per_hop}). */
    public static final int PASSAGES_PER_HOP = 3;

    final List<ChainOfThought> generateQuery;
    final Retrieve retrieve;
    final ChainOfThought generateAnswer = ChainOfThought.of("context: list[str], question -> answer");

    /** Two hops of three passages each. */
    public MultiHopRag() {
        this(MAX_HOPS, PASSAGES_PER_HOP);
    }

    /**
     * @param maxHops how many queries are written and searched, at least 1
     * @param passagesPerHop how many passages each search returns, at least 1
     * @throws IllegalArgumentException if either is below 1
     */
    public MultiHopRag(int maxHops, int passagesPerHop) {
        if (maxHops < 1) {
            throw new IllegalArgumentException("maxHops must be at least 1, was " + maxHops);
        }
        List<ChainOfThought> hops = new ArrayList<>();
        for (int i = 0; i < maxHops; i++) {
            hops.add(ChainOfThought.of("context: list[str], question -> query"));
        }
        this.generateQuery = List.copyOf(hops);
        this.retrieve = new Retrieve(passagesPerHop);
    }

    @Override
    protected Prediction forward(Example inputs) {
        String question = inputs.getString("question");
        LinkedHashSet<String> context = new LinkedHashSet<>();   // DSPy's deduplicate(), order kept
        for (ChainOfThought hop : generateQuery) {
            String query = hop.call(Map.of("context", List.copyOf(context), "question", question)).getString("query");
            for (Object passage : (List<?>) retrieve.call(Map.of("query", query)).require("passages")) {
                context.add(String.valueOf(passage));
            }
        }
        Prediction answer = generateAnswer.call(Map.of("context", List.copyOf(context), "question", question));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("context", List.copyOf(context));
        out.put("reasoning", answer.get("reasoning"));
        out.put("answer", answer.get("answer"));
        return Prediction.of(out);
    }
}
