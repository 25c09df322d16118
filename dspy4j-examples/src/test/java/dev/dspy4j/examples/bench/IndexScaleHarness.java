package dev.dspy4j.examples.bench;

import dev.dspy4j.examples.corpus.DebianCorpus;
import dev.dspy4j.lm.Embedder;
import dev.dspy4j.retrieval.lucene.LuceneIndex;
import dev.dspy4j.retrieval.lucene.SearchMode;
import dev.dspy4j.retrieve.Passage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Index build throughput and query latency of {@link LuceneIndex} at a given corpus size, meant to
 * run in a fresh JVM with a small fixed heap (issue 13). Prints one markdown row (and progress on
 * stderr). Run by {@code bench/run-retrieval.sh --scale}; not run by the build.
 *
 * <p>The passages are streamed, never held in a list: first the 4,094 Debian passages, then
 * deterministic synthetic variants of them ({@code syn-N}: passage {@code N mod 4094} with each word
 * replaced, with probability 0.3, by a word drawn from the corpus's word distribution, seeded by
 * {@code N}), so lengths and vocabulary are the corpus's.
 *
 * <p>Modes: {@code lexical} builds BM25 only (no embedder); {@code vectors} builds text and HNSW
 * vectors from {@link RandomUnitEmbedder}: seeded random unit vectors of dimension 384 derived from
 * each text, so the time is Lucene's (analysis, HNSW graph, merges) and not a model's. Query latency
 * is measured for the 300 single-hop questions, k = 10, after one warm-up pass; in {@code vectors}
 * mode for {@code VECTOR} and {@code HYBRID}, whose query "embedding" is the same random vector.
 *
 * <p>Arguments: passages, mode ({@code lexical} or {@code vectors}), scratch directory.
 */
public final class IndexScaleHarness {

    static final int DIMENSION = 384;
    private static final double REPLACE = 0.3;
    private static final int K = 10;

    private IndexScaleHarness() {
    }

    public static void main(String[] args) throws Exception {
        int total = Integer.parseInt(args[0]);
        boolean vectors = args[1].equals("vectors");
        Path scratch = Files.createDirectories(Path.of(args.length > 2 ? args[2] : "target/retrieval-bench"));
        String loadBefore = BenchStats.loadAverage();
        DebianCorpus corpus = DebianCorpus.load();
        List<String> questions = corpus.questions().stream().filter(q -> q.hops() == 1)
                .map(DebianCorpus.Question::question).toList();
        Path dir = scratch.resolve("scale-" + total + "-" + args[1] + "-" + ProcessHandle.current().pid());
        try {
            LuceneIndex.Builder builder = LuceneIndex.builder(dir);
            if (vectors) {
                builder.embedder(new RandomUnitEmbedder());
            }
            long gcBefore = BenchStats.gcMillis();
            long start = System.nanoTime();
            long added;
            try (LuceneIndex index = builder.create()) {
                added = index.addAll(new Passages(corpus, total));
                index.commit();
            }
            double buildSeconds = (System.nanoTime() - start) / 1e9;
            long gcBuild = BenchStats.gcMillis() - gcBefore;
            long heapAfterBuild = BenchStats.peakHeapMegabytes();
            long rssAfterBuild = BenchStats.peakRssMegabytes();
            double mb = BenchStats.directoryBytes(dir) / 1e6;

            List<String> latencies = new ArrayList<>();
            try (LuceneIndex index = vectors ? LuceneIndex.builder(dir).embedder(new RandomUnitEmbedder()).open()
                    : LuceneIndex.builder(dir).open()) {
                List<SearchMode> modes = vectors ? List.of(SearchMode.VECTOR, SearchMode.HYBRID)
                        : List.of(SearchMode.LEXICAL);
                for (SearchMode mode : modes) {
                    for (String q : questions) {
                        index.search(q, K, mode);
                    }
                    double[] millis = new double[questions.size()];
                    for (int i = 0; i < millis.length; i++) {
                        long t = System.nanoTime();
                        index.search(questions.get(i), K, mode);
                        millis[i] = (System.nanoTime() - t) / 1e6;
                    }
                    latencies.add(String.format(Locale.ROOT, "%s %.2f / %.2f", mode,
                            BenchStats.percentile(millis, 50), BenchStats.percentile(millis, 90)));
                }
            }
            System.out.printf(Locale.ROOT, "| %,d | %s | %,.0f | %.1f | %s | %.0f | %d | %d | %d / %d | %s | %s |%n",
                    added, vectors ? "text + 384-d vectors" : "BM25 only", added / buildSeconds, buildSeconds,
                    String.join("; ", latencies), mb, gcBuild, Runtime.getRuntime().maxMemory() >> 20,
                    heapAfterBuild, BenchStats.peakHeapMegabytes(), rssAfterBuild + " / " + BenchStats.peakRssMegabytes(),
                    loadBefore);
        } finally {
            BenchStats.deleteRecursively(dir);
        }
    }

    /** The streamed corpus: the real passages, then seeded synthetic variants up to {@code total}. */
    static final class Passages implements Iterator<Passage> {
        private final List<DebianCorpus.Passage> real;
        private final String[] words;
        private final int total;
        private int next;

        Passages(DebianCorpus corpus, int total) {
            this.real = corpus.passages();
            List<String> all = new ArrayList<>();
            for (DebianCorpus.Passage p : real) {
                for (String w : p.text().split("\\s+")) {
                    if (!w.isEmpty()) {
                        all.add(w);
                    }
                }
            }
            this.words = all.toArray(String[]::new);
            this.total = total;
        }

        @Override
        public boolean hasNext() {
            return next < total;
        }

        @Override
        public Passage next() {
            if (next >= total) {
                throw new NoSuchElementException();
            }
            int n = next++;
            DebianCorpus.Passage source = real.get(n % real.size());
            if (n < real.size()) {
                return Passage.of(source.id(), source.text());
            }
            SplittableRandom random = new SplittableRandom(n);
            String[] tokens = source.text().split(" ");
            StringBuilder text = new StringBuilder(source.text().length() + 16);
            for (String token : tokens) {
                if (!text.isEmpty()) {
                    text.append(' ');
                }
                text.append(random.nextDouble() < REPLACE ? words[random.nextInt(words.length)] : token);
            }
            return Passage.of("syn-" + n, text.toString());
        }
    }

    /**
     * Seeded random unit vectors: each text's vector is Gaussian noise seeded by the text's hash,
     * normalised. Deterministic and nearly free (a few microseconds per text), so an index built with
     * it measures Lucene's cost; random vectors have no cluster structure, the hard case for HNSW.
     */
    static final class RandomUnitEmbedder implements Embedder {
        @Override
        public List<float[]> embed(List<String> texts) {
            List<float[]> out = new ArrayList<>(texts.size());
            for (String text : texts) {
                SplittableRandom random = new SplittableRandom(text.hashCode() * 0x9E3779B97F4A7C15L + text.length());
                float[] v = new float[DIMENSION];
                double norm = 0;
                for (int d = 0; d < DIMENSION; d++) {
                    v[d] = (float) random.nextGaussian();
                    norm += (double) v[d] * v[d];
                }
                float inverse = (float) (1 / Math.sqrt(norm));
                for (int d = 0; d < DIMENSION; d++) {
                    v[d] *= inverse;
                }
                out.add(v);
            }
            return out;
        }
    }
}
