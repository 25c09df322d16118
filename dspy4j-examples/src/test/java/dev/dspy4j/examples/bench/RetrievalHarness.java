package dev.dspy4j.examples.bench;

import dev.dspy4j.cache.CachingEmbedder;
import dev.dspy4j.cache.DiskCache;
import dev.dspy4j.embeddings.onnx.OnnxEmbedder;
import dev.dspy4j.examples.corpus.DebianCorpus;
import dev.dspy4j.examples.corpus.DebianCorpus.Question;
import dev.dspy4j.retrieval.lucene.LuceneIndex;
import dev.dspy4j.retrieval.lucene.SearchMode;
import dev.dspy4j.retrieve.InMemoryRetriever;
import dev.dspy4j.retrieve.Passage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Retrieval quality and query latency on the Debian corpus (issue 13): BM25, MiniLM vectors (Lucene
 * HNSW, the same asked for 100 candidates and cut to k, and exact in-memory search as a check of the
 * approximation) and hybrid RRF. For each mode,
 * recall@1, @5 and @20 of the supporting passage of the 300 single-hop questions, and of the first-
 * and second-hop passages of the 100 two-hop questions with the question alone as the query; then
 * the warm latency of one search (k = 20), with the query's embedding included, and the embedding
 * alone. Prints markdown. Run by {@code bench/run-retrieval.sh}; not run by the build.
 *
 * <p>The corpus's vectors are cached on disk ({@link CachingEmbedder} over a {@link DiskCache} in the
 * directory given as the first argument), so only the first run pays for embedding 4,094 passages.
 * Queries are always embedded afresh by an uncached {@link OnnxEmbedder}: the index is built with the
 * cached embedder, closed, and reopened with the uncached one (same model, same vectors).
 *
 * <p>Arguments: the embedding cache directory, a scratch directory for the index.
 */
public final class RetrievalHarness {

    private static final int[] CUTS = {1, 5, 20};
    private static final int K = 20;
    private static final int WARMUP = 100;

    private RetrievalHarness() {
    }

    public static void main(String[] args) throws Exception {
        Path cacheDir = Path.of(args.length > 0 ? args[0] : "target/retrieval-bench/embeddings");
        Path scratch = Path.of(args.length > 1 ? args[1] : "target/retrieval-bench");
        System.out.printf(Locale.ROOT, "Processors: %d; load average at start: %s%n%n",
                Runtime.getRuntime().availableProcessors(), BenchStats.loadAverage());

        DebianCorpus corpus = DebianCorpus.load();
        List<Passage> passages = corpus.passages().stream().map(p -> Passage.of(p.id(), p.text())).toList();
        List<String> texts = passages.stream().map(Passage::text).toList();
        List<Question> questions = corpus.questions();
        System.err.println("corpus loaded; loading the embedder");

        try (OnnxEmbedder onnx = OnnxEmbedder.create()) {
            DiskCache disk = DiskCache.builder().directory(cacheDir).build();
            CachingEmbedder cached = onnx.cached(disk);
            System.err.println("embedder loaded; embedding the corpus");
            long hits = texts.stream().filter(t -> disk.get(CachingEmbedder.cacheKey(onnx.modelId(), t)).isPresent())
                    .count();
            long start = System.nanoTime();
            List<float[]> vectors = cached.embed(texts);
            double embedSeconds = seconds(start);
            System.out.printf(Locale.ROOT, "Corpus: %d passages; %d of them cached in %s before this run; "
                            + "embedding (or reading) them all: %.1f s (%.0f/s)%n",
                    texts.size(), hits, cacheDir, embedSeconds, texts.size() / embedSeconds);

            Path indexDir = Files.createDirectories(scratch).resolve("debian-index-" + ProcessHandle.current().pid());
            start = System.nanoTime();
            try (LuceneIndex building = LuceneIndex.builder(indexDir).embedder(cached).create()) {
                building.addAll(passages);
                building.commit();
            }
            System.out.printf(Locale.ROOT, "Lucene index (BM25 + HNSW) built from the cached vectors in %.1f s, "
                    + "%.1f MB on disk%n%n", seconds(start), BenchStats.directoryBytes(indexDir) / 1e6);

            try (LuceneIndex index = LuceneIndex.builder(indexDir).embedder(onnx).open()) {
                InMemoryRetriever exact = InMemoryRetriever.ofVectors(onnx, passages, vectors,
                        InMemoryRetriever.Similarity.COSINE);
                Map<String, BiFunction<String, Integer, List<Passage>>> modes = new LinkedHashMap<>();
                modes.put("BM25 (Lucene `LEXICAL`)", (q, k) -> index.search(q, k, SearchMode.LEXICAL));
                modes.put("MiniLM, HNSW (Lucene `VECTOR`)", (q, k) -> index.search(q, k, SearchMode.VECTOR));
                // the graph search asked for 100 candidates, the best k kept: how much the approximation costs at k
                modes.put("MiniLM, HNSW, 100 candidates cut to k", (q, k) -> {
                    List<Passage> candidates = index.search(q, Math.max(k, 100), SearchMode.VECTOR);
                    return candidates.subList(0, Math.min(k, candidates.size()));
                });
                modes.put("MiniLM, exact (`InMemoryRetriever`)", exact::search);
                modes.put("hybrid RRF (Lucene `HYBRID`)", (q, k) -> index.search(q, k, SearchMode.HYBRID));

                Map<String, int[][]> found = new LinkedHashMap<>();
                Map<String, double[]> latency = new LinkedHashMap<>();
                for (var mode : modes.entrySet()) {
                    for (int i = 0; i < WARMUP; i++) {
                        mode.getValue().apply(questions.get(i % questions.size()).question(), K);
                    }
                    int[][] counts = new int[3][CUTS.length];
                    double[] millis = new double[questions.size()];
                    for (int q = 0; q < questions.size(); q++) {
                        Question question = questions.get(q);
                        long t = System.nanoTime();
                        List<Passage> hits2 = mode.getValue().apply(question.question(), K);
                        millis[q] = (System.nanoTime() - t) / 1e6;
                        List<String> ranked = hits2.stream().map(Passage::id).toList();
                        if (question.hops() == 1) {
                            count(counts[0], ranked, question.supportingIds().get(0));
                        } else {
                            count(counts[1], ranked, question.supportingIds().get(0));
                            count(counts[2], ranked, question.supportingIds().get(1));
                        }
                    }
                    found.put(mode.getKey(), counts);
                    latency.put(mode.getKey(), millis);
                    System.err.printf(Locale.ROOT, "%s done; load %s%n", mode.getKey(), BenchStats.loadAverage());
                }
                // the query's embedding alone, as the embedding modes pay it
                double[] embedMillis = new double[questions.size()];
                for (int q = 0; q < questions.size(); q++) {
                    long t = System.nanoTime();
                    onnx.embed(List.of(questions.get(q).question()));
                    embedMillis[q] = (System.nanoTime() - t) / 1e6;
                }

                long single = questions.stream().filter(q -> q.hops() == 1).count();
                long two = questions.size() - single;
                String[] rows = {"single-hop: the answer's passage (" + single + ")",
                        "two-hop: the first passage (" + two + ")",
                        "two-hop: the library's passage, 2nd hop (" + two + ")"};
                System.out.println("| mode | question set | recall@1 | recall@5 | recall@20 |");
                System.out.println("|---|---|---|---|---|");
                for (var e : found.entrySet()) {
                    for (int r = 0; r < 3; r++) {
                        int total = (int) (r == 0 ? single : two);
                        int[] c = e.getValue()[r];
                        System.out.printf(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f |%n", r == 0 ? e.getKey() : "",
                                rows[r], (double) c[0] / total, (double) c[1] / total, (double) c[2] / total);
                    }
                }
                System.out.println();
                System.out.printf(Locale.ROOT, "Warm latency of one search, k = %d, over the %d questions after %d "
                        + "warm-up searches (ms):%n%n", K, questions.size(), WARMUP);
                System.out.println("| mode | p50 | p90 |");
                System.out.println("|---|---|---|");
                for (var e : latency.entrySet()) {
                    System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f |%n", e.getKey(),
                            BenchStats.percentile(e.getValue(), 50), BenchStats.percentile(e.getValue(), 90));
                }
                System.out.printf(Locale.ROOT, "| of which: embedding the question (MiniLM, one ONNX run) | %.2f | %.2f |%n",
                        BenchStats.percentile(embedMillis, 50), BenchStats.percentile(embedMillis, 90));
                System.out.printf(Locale.ROOT, "%nLoad average at end: %s%n", BenchStats.loadAverage());
            } finally {
                BenchStats.deleteRecursively(indexDir);
            }
        }
    }

    private static void count(int[] counts, List<String> ranked, String id) {
        int rank = ranked.indexOf(id);
        for (int c = 0; c < CUTS.length; c++) {
            if (rank >= 0 && rank < CUTS[c]) {
                counts[c]++;
            }
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
