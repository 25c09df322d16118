package dev.dspy4j.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.lm.LmResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class MemoryCacheTest {

    @Test
    void returnsWhatWasPutAndMissesTheRest() {
        MemoryCache cache = new MemoryCache(10);
        cache.put("a", LmResponse.of("A"));

        assertThat(cache.get("a")).contains(LmResponse.of("A"));
        assertThat(cache.get("b")).isEmpty();
    }

    @Test
    void evictsTheLeastRecentlyUsedEntryBeyondCapacity() {
        MemoryCache cache = new MemoryCache(3);
        cache.put("a", LmResponse.of("A"));
        cache.put("b", LmResponse.of("B"));
        cache.put("c", LmResponse.of("C"));

        cache.get("a"); // a is now the most recently used
        cache.put("d", LmResponse.of("D"));

        assertThat(cache.get("b")).isEmpty();
        assertThat(cache.get("a")).isPresent();
        assertThat(cache.get("c")).isPresent();
        assertThat(cache.get("d")).isPresent();
        assertThat(cache.size()).isEqualTo(3);
    }

    @Test
    void replacingAnEntryDoesNotGrowTheCache() {
        MemoryCache cache = new MemoryCache(2);
        cache.put("a", LmResponse.of("A1"));
        cache.put("a", LmResponse.of("A2"));

        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.get("a")).contains(LmResponse.of("A2"));
    }

    @Test
    void rejectsACapacityBelowOne() {
        assertThatThrownBy(() -> new MemoryCache(0)).hasMessageContaining("maxEntries must be >= 1, was 0");
    }

    @Test
    void staysConsistentUnderConcurrentGetsAndPutsFromManyVirtualThreads() throws Exception {
        MemoryCache cache = new MemoryCache(500);
        List<Future<?>> futures = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < 1_000; t++) {
                int thread = t;
                futures.add(executor.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        String key = "k" + ((thread * 31 + i) % 1_000);
                        cache.put(key, LmResponse.of(key));
                        cache.get(key).ifPresent(r -> assertThat(r.text()).isEqualTo(key));
                    }
                }));
            }
        }
        for (Future<?> f : futures) {
            f.get(); // rethrows any assertion failure
        }

        assertThat(cache.size()).isEqualTo(500);
    }
}
