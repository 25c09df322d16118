package dev.dspy4j.embeddings.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.dspy4j.cache.CachingEmbedder;
import dev.dspy4j.cache.MemoryCache;
import dev.dspy4j.lm.Embedder;
import dev.dspy4j.lm.LmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OnnxEmbedderTest {

    static OnnxEmbedder embedder;

    static final List<String> TEXTS = List.of(
            "cat", "kitten", "revenue",
            "The quick brown fox jumps over the lazy dog.",
            "GNU Bourne Again SHell: an sh-compatible command language interpreter that executes commands read"
                    + " from the standard input or from a file.",
            "", "naïve café — 東京 🙂", "Quarterly revenue grew by 12% year over year.");

    @BeforeAll
    static void loadTheModelOnce() {
        embedder = OnnxEmbedder.builder().batchSize(3).concurrency(2).build();
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    @Test
    void aBatchGivesExactlyTheFloatsOfOneCallPerText() {
        List<float[]> batch = embedder.embed(TEXTS);

        for (int i = 0; i < TEXTS.size(); i++) {
            float[] single = embedder.embed(List.of(TEXTS.get(i))).get(0);
            assertThat(batch.get(i)).as(TEXTS.get(i)).containsExactly(single);
        }
    }

    @Test
    void batchSizeAndConcurrencyDoNotChangeAnyFloat() {
        List<float[]> reference = embedder.embed(TEXTS);
        try (OnnxEmbedder other = OnnxEmbedder.builder().batchSize(32).concurrency(1).build()) {
            List<float[]> vectors = other.embed(TEXTS);

            for (int i = 0; i < TEXTS.size(); i++) {
                assertThat(vectors.get(i)).containsExactly(reference.get(i));
            }
        }
    }

    @Test
    void vectorsHave384DimensionsAndUnitLength() {
        List<float[]> vectors = embedder.embed(TEXTS);

        assertThat(vectors).hasSize(TEXTS.size());
        for (float[] vector : vectors) {
            assertThat(vector).hasSize(384);
            assertThat(Math.sqrt(dot(vector, vector))).isCloseTo(1.0, within(1e-5));
        }
        assertThat(embedder.dimension()).isEqualTo(384);
    }

    @Test
    void aCatIsCloserToAKittenThanToRevenue() {
        List<float[]> v = embedder.embed(List.of("cat", "kitten", "revenue"));

        double catKitten = dot(v.get(0), v.get(1));
        double catRevenue = dot(v.get(0), v.get(2));

        assertThat(catKitten).isGreaterThan(catRevenue + 0.2);
        assertThat(catKitten).isGreaterThan(0.5);
    }

    @Test
    void relatedSentencesAreCloserThanUnrelatedOnes() {
        List<float[]> v = embedder.embed(List.of(
                "a command-line shell for running programs",
                "GNU Bourne Again SHell, a command language interpreter",
                "fonts for typesetting mathematics"));

        assertThat(dot(v.get(0), v.get(1))).isGreaterThan(dot(v.get(0), v.get(2)));
    }

    @Test
    void aVeryLongTextIsTruncatedToMaxTokensAndStillGivesAUnitVector() {
        String start = "Debian is a free operating system for your computer. ";
        String longText = start + "lorem ipsum dolor sit amet ".repeat(2_000);
        String otherTail = start + "zebra giraffe elephant ".repeat(2_000);
        assertThat(longText.length()).isGreaterThan(50_000);

        assertThat(embedder.tokenCount(longText)).isEqualTo(256);
        assertThat(embedder.tokenCount("cat")).isEqualTo(3);
        List<float[]> v = embedder.embed(List.of(longText, otherTail));
        assertThat(v.get(0)).hasSize(384);
        assertThat(dot(v.get(0), v.get(0))).isCloseTo(1.0, within(1e-5));
    }

    @Test
    void textsDifferingOnlyAfterTheTruncationPointGetTheSameVector() {
        try (OnnxEmbedder short16 = OnnxEmbedder.builder().maxTokens(16).build()) {
            String start = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen ";

            List<float[]> v = short16.embed(List.of(start + "apples", start + "oranges and more"));

            assertThat(short16.tokenCount(start + "apples")).isEqualTo(16);
            assertThat(v.get(0)).containsExactly(v.get(1));
            assertThat(short16.modelId()).isEqualTo("onnx/all-minilm-l6-v2-q?max_tokens=16");
        }
    }

    @Test
    void manyVirtualThreadsEmbeddingAtOnceGetTheSingleThreadedFloats() throws Exception {
        List<float[]> reference = embedder.embed(TEXTS);
        List<Future<List<float[]>>> futures = new ArrayList<>();

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < 64; t++) {
                int shift = t % TEXTS.size();
                futures.add(threads.submit(() -> embedder.embed(rotated(shift))));
            }
            for (int t = 0; t < futures.size(); t++) {
                List<float[]> vectors = futures.get(t).get();
                List<String> texts = rotated(t % TEXTS.size());
                for (int i = 0; i < texts.size(); i++) {
                    assertThat(vectors.get(i)).containsExactly(reference.get(TEXTS.indexOf(texts.get(i))));
                }
            }
        }
    }

    static List<String> rotated(int shift) {
        return IntStream.range(0, TEXTS.size()).mapToObj(i -> TEXTS.get((i + shift) % TEXTS.size())).toList();
    }

    @Test
    void noTextsNeedNoWork() {
        assertThat(embedder.embed(List.of())).isEmpty();
    }

    @Test
    void aNullTextIsRejectedWithItsIndex() {
        assertThatThrownBy(() -> embedder.embed(Arrays.asList("a", null)))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("index 1");
    }

    @Test
    void aClosedEmbedderFailsClearlyAndClosingTwiceIsFine() {
        OnnxEmbedder closing = OnnxEmbedder.create();
        closing.embed(List.of("warm"));

        closing.close();
        closing.close();

        assertThatThrownBy(() -> closing.embed(List.of("cat")))
                .isInstanceOf(LmException.Configuration.class)
                .hasMessageContaining("is closed").hasMessageContaining("create a new OnnxEmbedder");
    }

    @Test
    void cachedVectorsAreTheComputedOnesAndAPartialBatchComputesOnlyTheMisses() {
        MemoryCache cache = new MemoryCache(1000);
        List<List<String>> computed = new ArrayList<>();
        Embedder counting = texts -> {
            computed.add(List.copyOf(texts));
            return embedder.embed(texts);
        };
        CachingEmbedder cached = CachingEmbedder.of(counting, embedder.modelId(), cache);
        cached.embed(List.of("cat", "revenue"));

        List<float[]> vectors = cached.embed(List.of("cat", "kitten", "revenue", "dog"));

        assertThat(computed).containsExactly(List.of("cat", "revenue"), List.of("kitten", "dog"));
        assertThat(vectors.get(0)).containsExactly(embedder.embed(List.of("cat")).get(0));
        assertThat(vectors.get(3)).containsExactly(embedder.embed(List.of("dog")).get(0));
        assertThat(embedder.cached(cache).embed(List.of("kitten")).get(0)).containsExactly(vectors.get(1));
    }

    @Test
    void settingsAreCheckedAsTheyAreSet() {
        assertThatThrownBy(() -> OnnxEmbedder.builder().batchSize(0)).hasMessageContaining("batchSize must be >= 1");
        assertThatThrownBy(() -> OnnxEmbedder.builder().maxTokens(513)).hasMessageContaining("between 3 and 512");
        assertThatThrownBy(() -> OnnxEmbedder.builder().concurrency(0)).hasMessageContaining("concurrency must be >= 1");
    }
}
