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
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A check of the Debian corpus with {@link OnnxEmbedder} and exact (brute-force) cosine search:
 * how often one retrieval with the question alone finds each supporting passage in the top 1, 5
 * and 20. Shows that single-hop questions are answerable and that the second hop of a two-hop
 * question is rarely found without the first. Run by {@code bench/run-embeddings.sh --recall}.
 *
 * <p>Arguments: the passages file, the questions file.
 */
public final class CorpusRecallHarness {

    private CorpusRecallHarness() {
    }

    public static void main(String[] args) throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        List<String> ids = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(Path.of(args[0]))), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                JsonNode p = json.readTree(line);
                ids.add(p.get("id").stringValue());
                texts.add(p.get("text").stringValue());
            }
        }
        List<JsonNode> questions = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8)) {
            questions.add(json.readTree(line));
        }
        try (OnnxEmbedder embedder = OnnxEmbedder.create()) {
            long start = System.nanoTime();
            List<float[]> passages = embedder.embed(texts);
            double seconds = (System.nanoTime() - start) / 1e9;
            List<float[]> queries = embedder.embed(questions.stream().map(q -> q.get("question").stringValue()).toList());
            System.out.printf(Locale.ROOT, "Embedded %d passages in %.0f s (%.0f/s)%n%n", texts.size(), seconds,
                    texts.size() / seconds);
            int[] cut = {1, 5, 20};
            // rows: single-hop answer; two-hop first passage; two-hop second passage
            int[][] found = new int[3][cut.length];
            int single = 0;
            int two = 0;
            for (int q = 0; q < questions.size(); q++) {
                JsonNode question = questions.get(q);
                List<String> ranked = top(queries.get(q), passages, ids, 20);
                List<String> supporting = new ArrayList<>();
                question.get("supporting_ids").forEach(n -> supporting.add(n.stringValue()));
                if (question.get("hops").intValue() == 1) {
                    single++;
                    count(found[0], cut, ranked, supporting.get(0));
                } else {
                    two++;
                    count(found[1], cut, ranked, supporting.get(0));
                    count(found[2], cut, ranked, supporting.get(1));
                }
            }
            System.out.println("| one retrieval with the question | recall@1 | recall@5 | recall@20 |");
            System.out.println("|---|---|---|---|");
            row("single-hop: the answer's passage", found[0], single);
            row("two-hop: the first passage", found[1], two);
            row("two-hop: the library's passage (second hop)", found[2], two);
        }
    }

    private static void count(int[] found, int[] cut, List<String> ranked, String id) {
        int rank = ranked.indexOf(id);
        for (int c = 0; c < cut.length; c++) {
            if (rank >= 0 && rank < cut[c]) {
                found[c]++;
            }
        }
    }

    private static void row(String name, int[] found, int total) {
        System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f |%n", name,
                (double) found[0] / total, (double) found[1] / total, (double) found[2] / total);
    }

    private static List<String> top(float[] query, List<float[]> passages, List<String> ids, int k) {
        Integer[] order = new Integer[passages.size()];
        double[] score = new double[passages.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            float[] p = passages.get(i);
            double dot = 0;
            for (int d = 0; d < p.length; d++) {
                dot += (double) query[d] * p[d];
            }
            score[i] = dot;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
        List<String> out = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            out.add(ids.get(order[i]));
        }
        return out;
    }
}
