package dev.dspy4j.cache.redis;

import dev.dspy4j.testkit.LocalRedis;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.cache.CachingEmbedder;
import dev.dspy4j.cache.MemoryCache;
import dev.dspy4j.cache.TieredCache;
import dev.dspy4j.lm.Embedder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@link CachingEmbedder} vectors in a real Redis, shared by two embedders as by two machines. */
class RedisEmbeddingCacheTest {

    /** Records every call; vectors with awkward floats so an inexact round trip would show. */
    static final class RecordingEmbedder implements Embedder {
        final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());

        @Override
        public List<float[]> embed(List<String> texts) {
            calls.add(List.copyOf(texts));
            return texts.stream().map(RecordingEmbedder::vector).toList();
        }

        static float[] vector(String text) {
            return new float[] {text.length() / 3f, -Float.MIN_VALUE, (float) Math.PI * text.hashCode()};
        }
    }

    @Test
    void aSecondMachineReadsTheVectorsBitForBitAndComputesOnlyItsMisses() {
        String url = LocalRedis.url("the Redis cache tests");
        String prefix = "dspy4j-test:" + UUID.randomUUID() + ":";
        RecordingEmbedder first = new RecordingEmbedder();
        RecordingEmbedder second = new RecordingEmbedder();

        try (RedisCache machineA = RedisCache.builder().url(url).keyPrefix(prefix).build();
             RedisCache machineB = RedisCache.builder().url(url).keyPrefix(prefix).build()) {
            CachingEmbedder.of(first, "test/model", TieredCache.of(new MemoryCache(10), machineA))
                    .embed(List.of("shared", "also shared"));

            List<float[]> vectors = CachingEmbedder.of(second, "test/model", TieredCache.of(new MemoryCache(10), machineB))
                    .embed(List.of("also shared", "only here", "shared"));

            assertThat(second.calls).containsExactly(List.of("only here"));
            assertThat(vectors.get(0)).containsExactly(RecordingEmbedder.vector("also shared"));
            assertThat(vectors.get(2)).containsExactly(RecordingEmbedder.vector("shared"));
            assertThat(Float.floatToRawIntBits(vectors.get(0)[1])).isEqualTo(Float.floatToRawIntBits(-Float.MIN_VALUE));
        }
    }
}
