package dev.dspy4j.optimize;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.Embedder;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.retrieve.InMemoryRetriever;
import dev.dspy4j.retrieve.Passage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Bootstraps demos, on every call, from the {@code k} trainset examples nearest to the call's
 * inputs: DSPy's {@code KNNFewShot}.
 *
 * <p>An example is embedded as the text {@code "key: value | key: value"} of its declared inputs;
 * a call as the same text of its inputs. Nearness is the dot product of the embeddings (use a
 * normalized embedder for cosine similarity); the {@code k} highest come first, ties in trainset
 * order: the exact search of {@link InMemoryRetriever} with
 * {@link InMemoryRetriever.Similarity#DOT_PRODUCT}, as retrieval uses. The trainset is embedded
 * once, at {@code compile}; each call embeds its inputs and runs
 * a {@link BootstrapFewShot} on the neighbours, so a call costs one embedding plus the teacher
 * runs. Immutable and thread-safe; the compiled program is thread-safe too.
 */
public final class KnnFewShot implements Optimizer {

    private final int k;
    private final Embedder embedder;
    private final BootstrapFewShot bootstrap;

    private KnnFewShot(int k, Embedder embedder, BootstrapFewShot bootstrap) {
        this.k = BootstrapFewShot.Builder.positive("k", k);
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.bootstrap = Objects.requireNonNull(bootstrap, "bootstrap");
    }

    /**
     * @param k neighbours per call
     * @param embedder embeds example and input texts
     * @param bootstrap how to bootstrap on the neighbours (its budget applies to each call, and its
     *     listeners hear every call's bootstrap)
     * @return the optimizer
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public static KnnFewShot of(int k, Embedder embedder, BootstrapFewShot bootstrap) {
        return new KnnFewShot(k, embedder, bootstrap);
    }

    /**
     * Embeds the trainset and returns a program that bootstraps on the nearest examples each time
     * it is called. The program has the student's predictors and state.
     *
     * @throws dev.dspy4j.lm.LmException if embedding fails
     */
    @Override
    public Module compile(Module program, List<Example> trainset, List<Example> valset, DspyContext context) {
        List<Example> train = List.copyOf(trainset);
        List<float[]> vectors = train.isEmpty() ? List.of()
                : embedder.embed(train.stream().map(e -> text(e.inputs().toMap())).toList());
        return new KnnProgram(program.mapState((path, s) -> s.withDemos(List.of())), train, search(train, vectors));
    }

    /** At compile time no LM calls; each call of the program makes up to {@code k × rounds} teacher runs. */
    @Override
    public LmCallEstimate estimate(Module program, List<Example> trainset, List<Example> valset) {
        return new LmCallEstimate(0, 0, program.namedPredictors().size());
    }

    static String text(Map<String, ?> values) {
        return values.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(" | "));
    }

    /** Exact dot-product search over the trainset's vectors; a passage's id is its trainset index. */
    private InMemoryRetriever search(List<Example> train, List<float[]> vectors) {
        List<Passage> passages = new ArrayList<>(train.size());
        for (int i = 0; i < train.size(); i++) {
            passages.add(Passage.of(Integer.toString(i), text(train.get(i).inputs().toMap())));
        }
        return InMemoryRetriever.ofVectors(embedder, passages, vectors, InMemoryRetriever.Similarity.DOT_PRODUCT);
    }

    /** The {@code k} nearest trainset examples, nearest first. */
    List<Example> nearest(List<Example> train, InMemoryRetriever search, Map<String, ?> inputs) {
        if (train.isEmpty()) {
            return List.of();
        }
        return search.search(text(inputs), k).stream().map(p -> train.get(Integer.parseInt(p.id()))).toList();
    }

    @Override
    public String toString() {
        return "KnnFewShot(k=" + k + ", " + bootstrap + ")";
    }

    /** The student, bootstrapped anew on each call's neighbours. */
    private final class KnnProgram extends Module {

        private final Module student;
        private final List<Example> train;
        private final InMemoryRetriever search;

        KnnProgram(Module student, List<Example> train, InMemoryRetriever search) {
            this.student = student;
            this.train = train;
            this.search = search;
        }

        @Override
        protected Prediction forward(Example inputs) {
            DspyContext context = DspyContext.current();
            List<Example> neighbours = nearest(train, search, inputs.toMap());
            return bootstrap.compile(student, neighbours, context).call(inputs.toMap(), context);
        }

        @Override
        protected Map<String, ?> children() {
            return Map.of();
        }

        @Override
        public Map<String, Module> namedParameters() {
            return student.namedParameters();
        }

        @Override
        public Map<String, Predict> namedPredictors() {
            return student.namedPredictors();
        }

        @Override
        public String toString() {
            return "KnnFewShot(k=" + k + ") over " + student;
        }
    }
}
