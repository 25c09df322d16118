package dev.dspy4j.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.lm.Embedder;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachingEmbedderTest {

    @TempDir
    Path dir;

    /** Embeds a text as [length, first char, a value no simple formula gives]; records every call. */
    static final class CountingEmbedder implements Embedder {
        final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());
        boolean closed;

        @Override
        public List<float[]> embed(List<String> texts) {
            calls.add(List.copyOf(texts));
            return texts.stream().map(CountingEmbedder::vector).toList();
        }

        static float[] vector(String text) {
            return new float[] {text.length(), text.isEmpty() ? -1f : text.charAt(0), (float) Math.sqrt(text.hashCode() & 0xffff) / 3f};
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void aSecondCallIsAnsweredFromTheCacheWithTheSameFloats() {
        CountingEmbedder inner = new CountingEmbedder();
        CachingEmbedder embedder = CachingEmbedder.of(inner, "test/model", new MemoryCache(100));

        List<float[]> first = embedder.embed(List.of("cat", "kitten"));
        List<float[]> second = embedder.embed(List.of("cat", "kitten"));

        assertThat(inner.calls).containsExactly(List.of("cat", "kitten"));
        assertThat(second.get(0)).containsExactly(first.get(0));
        assertThat(second.get(1)).containsExactly(CountingEmbedder.vector("kitten"));
    }

    @Test
    void aPartlyCachedBatchComputesOnlyTheMissesInOneCallAndKeepsInputOrder() {
        CountingEmbedder inner = new CountingEmbedder();
        CachingEmbedder embedder = CachingEmbedder.of(inner, "test/model", new MemoryCache(100));
        embedder.embed(List.of("b", "d"));

        List<float[]> vectors = embedder.embed(List.of("a", "b", "c", "d"));

        assertThat(inner.calls).containsExactly(List.of("b", "d"), List.of("a", "c"));
        for (int i = 0; i < 4; i++) {
            assertThat(vectors.get(i)).containsExactly(CountingEmbedder.vector(List.of("a", "b", "c", "d").get(i)));
        }
    }

    @Test
    void repeatedTextsInOneBatchAreComputedOnceAndGetSeparateArrays() {
        CountingEmbedder inner = new CountingEmbedder();
        CachingEmbedder embedder = CachingEmbedder.of(inner, "test/model", new MemoryCache(100));

        List<float[]> vectors = embedder.embed(List.of("x", "y", "x"));

        assertThat(inner.calls).containsExactly(List.of("x", "y"));
        assertThat(vectors.get(2)).containsExactly(vectors.get(0)).isNotSameAs(vectors.get(0));
    }

    @Test
    void vectorsSurviveInADiskCacheAcrossInstances() {
        CountingEmbedder first = new CountingEmbedder();
        CachingEmbedder.of(first, "test/model", DiskCache.at(dir)).embed(List.of("persisted"));
        CountingEmbedder second = new CountingEmbedder();

        List<float[]> vectors = CachingEmbedder.of(second, "test/model", DiskCache.at(dir)).embed(List.of("persisted", "new"));

        assertThat(second.calls).containsExactly(List.of("new"));
        assertThat(vectors.get(0)).containsExactly(CountingEmbedder.vector("persisted"));
    }

    @Test
    void aTieredCachePromotesADiskHitToMemory() {
        MemoryCache memory = new MemoryCache(100);
        CachingEmbedder.of(new CountingEmbedder(), "test/model", DiskCache.at(dir)).embed(List.of("t"));
        CountingEmbedder inner = new CountingEmbedder();

        CachingEmbedder.of(inner, "test/model", TieredCache.of(memory, DiskCache.at(dir))).embed(List.of("t"));

        assertThat(inner.calls).isEmpty();
        assertThat(memory.get(CachingEmbedder.cacheKey("test/model", "t"))).isPresent();
    }

    @Test
    void anotherModelIdDoesNotSeeTheVectors() {
        MemoryCache cache = new MemoryCache(100);
        CachingEmbedder.of(new CountingEmbedder(), "model-a", cache).embed(List.of("t"));
        CountingEmbedder inner = new CountingEmbedder();

        CachingEmbedder.of(inner, "model-b", cache).embed(List.of("t"));

        assertThat(inner.calls).containsExactly(List.of("t"));
        assertThat(CachingEmbedder.cacheKey("model-a", "t")).isNotEqualTo(CachingEmbedder.cacheKey("model-b", "t"))
                .hasSize(64).isEqualTo(CachingEmbedder.cacheKey("model-a", "t"));
    }

    @Test
    void keysAreLengthPrefixedSoModelAndTextCannotShiftIntoEachOther() {
        assertThat(CachingEmbedder.cacheKey("ab", "c")).isNotEqualTo(CachingEmbedder.cacheKey("a", "bc"));
    }

    @Test
    void aForeignEntryUnderAnEmbeddingKeyIsAMiss() {
        MemoryCache cache = new MemoryCache(100);
        cache.put(CachingEmbedder.cacheKey("test/model", "t"), LmResponse.of("not a vector"));
        CountingEmbedder inner = new CountingEmbedder();

        List<float[]> vectors = CachingEmbedder.of(inner, "test/model", cache).embed(List.of("t"));

        assertThat(inner.calls).containsExactly(List.of("t"));
        assertThat(vectors.get(0)).containsExactly(CountingEmbedder.vector("t"));
    }

    @Test
    void theStoredFormatRoundTripsEveryFloatBitForBit() {
        float[] vector = {0f, -0f, Float.MIN_VALUE, Float.MAX_VALUE, -1.2345678e-20f, Float.NaN, 0.1f};

        float[] decoded = EmbeddingEntries.decode(EmbeddingEntries.encode("m", vector));

        assertThat(decoded).isNotNull();
        for (int i = 0; i < vector.length; i++) {
            assertThat(Float.floatToRawIntBits(decoded[i])).isEqualTo(Float.floatToRawIntBits(vector[i]));
        }
        assertThat(EmbeddingEntries.encode("m", new float[384]).text()).hasSize(EmbeddingEntries.PREFIX.length() + 2048);
    }

    @Test
    void aDelegateReturningTheWrongNumberOfVectorsFailsClearly() {
        Embedder broken = texts -> List.of();
        CachingEmbedder embedder = CachingEmbedder.of(broken, "test/model", new MemoryCache(100));

        assertThatThrownBy(() -> embedder.embed(List.of("a")))
                .isInstanceOf(LmException.Configuration.class)
                .hasMessageContaining("returned 0 vectors for 1 texts");
    }

    @Test
    void aFailingDelegateCachesNothing() {
        MemoryCache cache = new MemoryCache(100);
        Embedder failing = texts -> {
            throw new LmException.Transport("down", "test", null);
        };

        assertThatThrownBy(() -> CachingEmbedder.of(failing, "test/model", cache).embed(List.of("a")))
                .isInstanceOf(LmException.Transport.class);
        assertThat(cache.size()).isZero();
    }

    @Test
    void closeClosesTheWrappedEmbedderButNotTheCache() {
        CountingEmbedder inner = new CountingEmbedder();
        MemoryCache cache = new MemoryCache(100);
        CachingEmbedder embedder = CachingEmbedder.of(inner, "test/model", cache);
        embedder.embed(List.of("a"));

        embedder.close();

        assertThat(inner.closed).isTrue();
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void aNullTextIsRejectedWithItsIndex() {
        CachingEmbedder embedder = CachingEmbedder.of(new CountingEmbedder(), "test/model", new MemoryCache(100));

        assertThatThrownBy(() -> embedder.embed(java.util.Arrays.asList("a", null)))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("index 1");
    }
}
