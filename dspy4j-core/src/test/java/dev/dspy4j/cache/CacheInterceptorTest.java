package dev.dspy4j.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.cache.CacheFixtures.CountingLm;
import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Message;
import dev.dspy4j.lm.Usage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheInterceptorTest {

    private static final LmRequest REQUEST =
            new LmRequest(List.of(Message.user("capital of France?")), LmOptions.NONE.withTemperature(0.0));

    @TempDir
    Path dir;

    @Test
    void aRepeatedRequestIsServedFromTheCacheWithItsOriginalUsage() {
        CountingLm target = new CountingLm("openai/gpt-4o-mini");
        Lm lm = target.withInterceptors(new CacheInterceptor(new MemoryCache(10)));

        LmResponse first = lm.call(REQUEST);
        LmResponse second = lm.call(REQUEST);

        assertThat(target.calls).hasValue(1);
        assertThat(first.cacheHit()).isFalse();
        assertThat(second.cacheHit()).isTrue();
        assertThat(second.choices()).isEqualTo(first.choices());
        assertThat(second.usage()).isEqualTo(new Usage(10, 5));
        assertThat(second.model()).isEqualTo(first.model());
    }

    @Test
    void cacheFalseBypassesLookupAndStore() {
        CountingLm target = new CountingLm("m");
        MemoryCache cache = new MemoryCache(10);
        Lm lm = target.withInterceptors(new CacheInterceptor(cache));
        LmRequest uncached = REQUEST.withOptions(REQUEST.options().withCache(false));

        lm.call(uncached);
        lm.call(uncached);

        assertThat(target.calls).hasValue(2);
        assertThat(cache.size()).isZero();

        // and a cached request does not see an entry written by an uncached one
        lm.call(REQUEST);
        assertThat(target.calls).hasValue(3);
        // but an uncached request ignores an existing entry
        assertThat(lm.call(uncached).cacheHit()).isFalse();
        assertThat(target.calls).hasValue(4);
    }

    @Test
    void differentRolloutIdsAreCachedSeparately() {
        CountingLm target = new CountingLm("m");
        Lm lm = target.withInterceptors(new CacheInterceptor(new MemoryCache(10)));

        lm.call(REQUEST.withOptions(REQUEST.options().withRolloutId(1)));
        lm.call(REQUEST.withOptions(REQUEST.options().withRolloutId(2)));
        LmResponse again = lm.call(REQUEST.withOptions(REQUEST.options().withRolloutId(1)));

        assertThat(target.calls).hasValue(2);
        assertThat(again.cacheHit()).isTrue();
    }

    @Test
    void theTargetModelIsPartOfTheKey() {
        MemoryCache shared = new MemoryCache(10);
        CountingLm mini = new CountingLm("openai/gpt-4o-mini");
        CountingLm big = new CountingLm("openai/gpt-4o");

        mini.withInterceptors(new CacheInterceptor(shared)).call(REQUEST);
        big.withInterceptors(new CacheInterceptor(shared)).call(REQUEST);

        assertThat(mini.calls).hasValue(1);
        assertThat(big.calls).hasValue(1);
        assertThat(shared.size()).isEqualTo(2);
    }

    @Test
    void failuresAreNotCached() {
        AtomicInteger calls = new AtomicInteger();
        Lm flaky = request -> {
            if (calls.incrementAndGet() == 1) {
                throw new LmException("server error (test)", true, null);
            }
            return LmResponse.of("ok");
        };
        Lm lm = flaky.withInterceptors(new CacheInterceptor(new MemoryCache(10)));

        assertThatThrownBy(() -> lm.call(REQUEST)).isInstanceOf(LmException.class);
        assertThat(lm.call(REQUEST).cacheHit()).isFalse();
        assertThat(lm.call(REQUEST).cacheHit()).isTrue();
        assertThat(calls).hasValue(2);
    }

    @Test
    void incompleteResponsesAreNotCached() {
        MemoryCache cache = new MemoryCache(10);
        Lm empty = request -> new LmResponse(List.of(), Usage.ZERO, "m", false);
        Lm errored = request -> new LmResponse(List.of(new Choice("partial", List.of(), null, "error")), Usage.ZERO, "m", false);

        empty.withInterceptors(new CacheInterceptor(cache)).call(REQUEST);
        errored.withInterceptors(new CacheInterceptor(cache)).call(REQUEST);

        assertThat(cache.size()).isZero();
    }

    @Test
    void aFailingCacheNeverFailsTheCall() {
        CountingLm target = new CountingLm("m");
        Lm lm = target.withInterceptors(new CacheInterceptor(new TieredCacheTest.FailingCache()));

        assertThat(lm.call(REQUEST).text()).isEqualTo("answer to capital of France?");
        assertThat(lm.call(REQUEST).cacheHit()).isFalse();
        assertThat(target.calls).hasValue(2);
    }

    @Test
    void anUnusableDiskTierDoesNotBreakAProgramThatUsesTheCache() throws IOException {
        // given the default arrangement pointed at a home directory that cannot hold a cache
        Path home = Files.writeString(dir.resolve("home"), "a file, not a directory");
        Path cacheDir = home.resolve(".dspy4j").resolve("cache");
        CountingLm target = new CountingLm("m");
        Lm lm = target.withInterceptors(new CacheInterceptor(
                TieredCache.of(new MemoryCache(10), DiskCache.at(cacheDir))));

        // when it is called twice, then both calls succeed and memory serves the second
        assertThat(lm.call(REQUEST).cacheHit()).isFalse();
        assertThat(lm.call(REQUEST).cacheHit()).isTrue();
        assertThat(target.calls).hasValue(1);
    }

    @Test
    void buildingTheDefaultCacheTouchesNoFile() {
        Path defaultDir = DiskCache.defaultDirectory();
        boolean existedBefore = Files.exists(defaultDir);
        Path probe = dir.resolve("lazy");

        CacheInterceptor.withDefaults();
        new CacheInterceptor(TieredCache.of(new MemoryCache(1), DiskCache.at(probe)));

        assertThat(probe).doesNotExist();
        if (!existedBefore) {
            assertThat(defaultDir).doesNotExist();
        }
    }

    @Test
    void aDiskCacheReplaysResponsesAcrossProgramRuns() {
        CountingLm firstRun = new CountingLm("m");
        firstRun.withInterceptors(new CacheInterceptor(DiskCache.at(dir))).call(REQUEST);

        CountingLm secondRun = new CountingLm("m", request -> {
            throw new AssertionError("should have been served from disk");
        });
        LmResponse replayed = secondRun.withInterceptors(new CacheInterceptor(DiskCache.at(dir))).call(REQUEST);

        assertThat(replayed.cacheHit()).isTrue();
        assertThat(replayed.usage()).isEqualTo(new Usage(10, 5));
        assertThat(secondRun.calls).hasValue(0);
    }
}
