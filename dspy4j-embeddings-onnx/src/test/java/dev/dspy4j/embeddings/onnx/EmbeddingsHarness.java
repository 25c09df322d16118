package dev.dspy4j.embeddings.onnx;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.json.JsonMapper;

/**
 * Measures {@link OnnxEmbedder} on this machine: model load time, and embeddings per second for
 * one text per call against batches, at concurrency 1 and 2, on one session or two. Run by
 * {@code bench/run-embeddings.sh}; prints markdown. Not a test: timings never go in assertions.
 *
 * <p>Arguments: the corpus file ({@code passages.jsonl.gz}), the number of passages (default 512),
 * the rounds per configuration (default 3; the best round is reported, the others are shown).
 */
public final class EmbeddingsHarness {

    private EmbeddingsHarness() {
    }

    public static void main(String[] args) throws Exception {
        Path corpus = Path.of(args[0]);
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 512;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<String> texts = passages(corpus, count);

        long start = System.nanoTime();
        OnnxEmbedder first = OnnxEmbedder.builder().concurrency(1).build();
        double coldLoad = seconds(start);
        start = System.nanoTime();
        first.embed(List.of("warm up"));
        double firstCall = seconds(start);
        start = System.nanoTime();
        OnnxEmbedder second = OnnxEmbedder.builder().concurrency(1).build();
        double warmLoad = seconds(start);

        long tokens = 0;
        for (String text : texts) {
            tokens += first.tokenCount(text);
        }
        System.out.printf(Locale.ROOT, "Processors: %d; passages: %d, mean %.0f tokens (truncated at %d)%n%n",
                Runtime.getRuntime().availableProcessors(), texts.size(), (double) tokens / texts.size(), first.maxTokens());
        System.out.printf(Locale.ROOT, "| load | seconds |%n|---|---|%n| first in the JVM (native libraries unpacked) | %.2f |%n"
                + "| first embedding after that | %.3f |%n| second embedder in the same JVM | %.2f |%n%n", coldLoad, firstCall, warmLoad);

        // warm-up: the JIT and ONNX Runtime's arenas
        first.embed(texts.subList(0, Math.min(64, texts.size())));

        System.out.println("| configuration | embeddings/s (best) | all rounds |");
        System.out.println("|---|---|---|");
        try (OnnxEmbedder batch1 = OnnxEmbedder.builder().batchSize(32).concurrency(1).build();
             OnnxEmbedder batch2 = OnnxEmbedder.builder().batchSize(32).concurrency(2).build()) {
            report("one text per call, 1 thread", rounds, texts.size(), () -> {
                for (String text : texts) {
                    first.embed(List.of(text));
                }
            });
            report("batch 32, concurrency 1", rounds, texts.size(), () -> batch1.embed(texts));
            report("batch 32, concurrency 2 (one session)", rounds, texts.size(), () -> batch2.embed(texts));
            report("batch 32, two sessions, one thread each", rounds, texts.size(), () -> {
                int half = texts.size() / 2;
                try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                    Future<?> a = threads.submit(() -> first.embed(texts.subList(0, half)));
                    Future<?> b = threads.submit(() -> second.embed(texts.subList(half, texts.size())));
                    a.get();
                    b.get();
                }
            });
        } finally {
            first.close();
            second.close();
        }
    }

    interface Work {
        void run() throws Exception;
    }

    private static void report(String name, int rounds, int texts, Work work) throws Exception {
        List<String> all = new ArrayList<>();
        double best = 0;
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            work.run();
            double rate = texts / seconds(start);
            best = Math.max(best, rate);
            all.add(String.format(Locale.ROOT, "%.0f", rate));
        }
        System.out.printf(Locale.ROOT, "| %s | %.0f | %s |%n", name, best, String.join(", ", all));
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static List<String> passages(Path corpus, int count) throws IOException {
        JsonMapper json = JsonMapper.builder().build();
        List<String> texts = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(corpus)), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null && texts.size() < count; line = lines.readLine()) {
                texts.add(json.readTree(line).get("text").stringValue());
            }
        }
        return texts;
    }
}
