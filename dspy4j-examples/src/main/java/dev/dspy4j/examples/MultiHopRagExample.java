package dev.dspy4j.examples;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.embeddings.onnx.OnnxEmbedder;
import dev.dspy4j.evaluate.Evaluate;
import dev.dspy4j.evaluate.EvaluationResult;
import dev.dspy4j.evaluate.Metric;
import dev.dspy4j.evaluate.SemanticF1;
import dev.dspy4j.examples.corpus.DebianCorpus;
import dev.dspy4j.examples.corpus.DebianCorpus.Question;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.module.Module;
import dev.dspy4j.optimize.BootstrapFewShot;
import dev.dspy4j.retrieval.lucene.LuceneIndex;
import dev.dspy4j.retrieve.Passage;
import dev.dspy4j.retrieve.RetrievalException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * DSPy's multi-hop RAG over the Debian corpus ({@link DebianCorpus}): indexes the 4,094 package
 * descriptions in a Lucene index (BM25; with {@code --hybrid}, BM25 and MiniLM vectors fused, which
 * first embeds every passage in process, about 80 s), scores {@link MultiHopRag} with
 * {@link SemanticF1} on a dev split (two-hop questions and a few single-hop), compiles it with
 * {@link BootstrapFewShot} on a train split of two-hop questions, scores it again, saves the
 * optimized program as DSPy-format JSON and loads it back. Prints a table of the two scores.
 *
 * <p>Arguments: {@code [--hybrid] [--save <file>]} (default {@code target/multihop-rag.json}). The
 * model comes from {@code DSPY4J_MODEL} and the provider's usual variables, as in
 * {@link Quickstart}; it also judges the answers. Exit status: 0 on success, 2 when nothing is
 * configured or the arguments are wrong, 1 when an LM call or the index fails.
 */
public final class MultiHopRagExample {

    /** Two-hop questions the optimizer bootstraps demos from. */
    static final int TRAIN_TWO_HOP = 16;
    /** Two-hop questions in the dev split (after the train split). */
    static final int DEV_TWO_HOP = 20;
    /** Single-hop questions in the dev split. */
    static final int DEV_SINGLE_HOP = 5;

    private MultiHopRagExample() {}

    /** Entry point; exits with the status described in the class comment. */
    public static void main(String[] args) {
        System.exit(run(System.getenv(), args, System.out, System.err));
    }

    /** The scores and what was saved, for callers and tests. */
    record Outcome(EvaluationResult baseline, EvaluationResult compiled, Path saved, Module program) {}

    /**
     * Runs the example.
     *
     * @param environment where the model name, keys and base URLs are read from
     * @param args {@code [--hybrid] [--save <file>]}
     * @param out where results go
     * @param err where problems go
     * @return the exit status
     */
    public static int run(Map<String, String> environment, String[] args, PrintStream out, PrintStream err) {
        boolean hybrid = false;
        Path saveTo = Path.of("target", "multihop-rag.json");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--hybrid")) {
                hybrid = true;
            } else if (args[i].equals("--save") && i + 1 < args.length) {
                saveTo = Path.of(args[++i]);
            } else {
                err.println("Unknown argument " + args[i] + "; usage: MultiHopRagExample [--hybrid] [--save <file>]");
                return 2;
            }
        }
        Optional<Lm> configured = ExampleLm.fromEnvironment(environment, err);
        if (configured.isEmpty()) {
            return 2;
        }
        try (OnnxEmbedder embedder = hybrid ? OnnxEmbedder.create() : null) {
            Outcome outcome = run(configured.get(), embedder, saveTo, out);
            return outcome.compiled().score() > outcome.baseline().score() ? 0 : 1;
        } catch (LmException e) {
            err.println("An LM call failed: " + e.getMessage());
            return 1;
        } catch (RetrievalException | UncheckedIOException e) {
            err.println("The index failed: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Builds the index in a temporary directory (with vectors when given an embedder), evaluates,
     * compiles, evaluates again, saves, reloads and prints the table.
     */
    static Outcome run(Lm lm, @Nullable OnnxEmbedder embedder, Path saveTo, PrintStream out) {
        boolean hybrid = embedder != null;
        DebianCorpus corpus = DebianCorpus.load();
        List<Question> twoHop = corpus.questions().stream().filter(q -> q.hops() == 2).toList();
        List<Question> singleHop = corpus.questions().stream().filter(q -> q.hops() == 1).toList();
        List<Example> trainset = examples(twoHop.subList(0, TRAIN_TWO_HOP));
        List<Example> devset = new ArrayList<>(examples(twoHop.subList(TRAIN_TWO_HOP, TRAIN_TWO_HOP + DEV_TWO_HOP)));
        devset.addAll(examples(singleHop.subList(0, DEV_SINGLE_HOP)));

        Path dir = temporaryDirectory();
        try (LuceneIndex index = open(dir, corpus, embedder, out)) {
            DspyContext context = DspyContext.of(lm).withRetriever(index);
            Metric metric = semanticF1(context);
            Evaluate evaluate = Evaluate.builder().devset(devset).metric(metric).concurrency(4).build();

            MultiHopRag program = new MultiHopRag();
            EvaluationResult baseline = evaluate.run(program, context);
            Module compiled = BootstrapFewShot.builder().metric(metric).maxBootstrappedDemos(2).maxLabeledDemos(0)
                    .build().compile(program, trainset, context);
            EvaluationResult after = evaluate.run(compiled, context);

            compiled.save(saveTo);
            Module loaded = new MultiHopRag().load(saveTo);
            EvaluationResult reloaded = evaluate.run(loaded, context);

            out.printf("Multi-hop RAG over %,d Debian passages (%s), %d dev questions (%d two-hop, %d single-hop)%n",
                    corpus.passages().size(), hybrid ? "hybrid BM25 + MiniLM" : "BM25", devset.size(), DEV_TWO_HOP,
                    DEV_SINGLE_HOP);
            out.println("| program | SemanticF1 (%) |");
            out.println("|---|---|");
            out.printf("| baseline (no demos) | %.1f |%n", baseline.score());
            out.printf("| BootstrapFewShot, %d two-hop train questions | %.1f |%n", trainset.size(), after.score());
            out.printf("| saved and loaded back | %.1f |%n", reloaded.score());
            out.println("saved to " + saveTo.toAbsolutePath());
            return new Outcome(baseline, after, saveTo, loaded);
        } finally {
            deleteRecursively(dir);
        }
    }

    /**
     * SemanticF1 over the program's {@code answer}: DSPy's metric reads {@code response} from the
     * example and the prediction, so both answers are passed to it under that name.
     */
    static Metric semanticF1(DspyContext judge) {
        SemanticF1 f1 = new SemanticF1(judge);
        return (example, prediction, mode) -> f1.score(example.with("response", example.get("answer")),
                Prediction.of(Map.of("response", String.valueOf(prediction.get("answer")))), mode);
    }

    static List<Example> examples(List<Question> questions) {
        return questions.stream()
                .map(q -> Example.of("question", q.question(), "answer", q.answer()).withInputs("question"))
                .toList();
    }

    /** A new Lucene index of the corpus in {@code dir}: BM25, and vectors too when given an embedder. */
    static LuceneIndex open(Path dir, DebianCorpus corpus, @Nullable OnnxEmbedder embedder, PrintStream out) {
        LuceneIndex.Builder builder = LuceneIndex.builder(dir);
        if (embedder != null) {
            builder.embedder(embedder);
            out.println("Embedding " + corpus.passages().size() + " passages in process (about 80 s on 2 cores)...");
        }
        LuceneIndex index = builder.create();
        index.addAll(corpus.passages().stream().map(p -> Passage.of(p.id(), p.text())));
        index.commit();
        return index;
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("dspy4j-debian-index");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a temporary directory for the index", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary directory left behind is harmless; the OS cleans it up
        }
    }
}
