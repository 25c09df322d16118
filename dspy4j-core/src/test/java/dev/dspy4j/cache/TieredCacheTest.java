package dev.dspy4j.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.lm.LmResponse;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TieredCacheTest {

    @TempDir
    Path dir;

    @Test
    void aDiskHitIsPromotedToMemory() {
        DiskCache.at(dir).put("k", LmResponse.of("from disk"));
        MemoryCache memory = new MemoryCache(10);
        TieredCache tiers = TieredCache.of(memory, DiskCache.at(dir));

        assertThat(tiers.get("k")).contains(LmResponse.of("from disk"));

        assertThat(memory.get("k")).contains(LmResponse.of("from disk"));
    }

    @Test
    void aHitInTheLastTierIsPromotedToEveryTierAbove() {
        MemoryCache memory = new MemoryCache(10);
        DiskCache disk = DiskCache.at(dir);
        MemoryCache remote = new MemoryCache(10);
        remote.put("k", LmResponse.of("from remote"));

        assertThat(TieredCache.of(memory, disk, remote).get("k")).contains(LmResponse.of("from remote"));

        assertThat(memory.get("k")).contains(LmResponse.of("from remote"));
        assertThat(disk.get("k")).contains(LmResponse.of("from remote"));
    }

    @Test
    void anUpperHitDoesNotConsultLowerTiers() {
        MemoryCache memory = new MemoryCache(10);
        memory.put("k", LmResponse.of("memory"));
        LmCache exploding = new FailingCache();

        assertThat(TieredCache.of(memory, exploding).get("k")).contains(LmResponse.of("memory"));
    }

    @Test
    void putWritesThroughEveryTier() {
        MemoryCache memory = new MemoryCache(10);
        DiskCache disk = DiskCache.at(dir);

        TieredCache.of(memory, disk).put("k", LmResponse.of("v"));

        assertThat(memory.get("k")).contains(LmResponse.of("v"));
        assertThat(DiskCache.at(dir).get("k")).contains(LmResponse.of("v"));
    }

    @Test
    void aFailingTierIsSkippedWithoutFailingTheLookup() {
        MemoryCache below = new MemoryCache(10);
        below.put("k", LmResponse.of("below"));
        TieredCache tiers = TieredCache.of(new FailingCache(), below);

        assertThat(tiers.get("k")).contains(LmResponse.of("below"));
        tiers.put("j", LmResponse.of("v"));
        assertThat(below.get("j")).contains(LmResponse.of("v"));
    }

    @Test
    void needsAtLeastOneTier() {
        assertThatThrownBy(TieredCache::of).hasMessageContaining("at least one tier");
    }

    @Test
    void defaultsAreMemoryThenDiskInTheDefaultDirectory() {
        TieredCache defaults = TieredCache.defaults();

        assertThat(defaults.tiers()).hasSize(2);
        assertThat(defaults.tiers().get(0)).isInstanceOf(MemoryCache.class);
        assertThat(((DiskCache) defaults.tiers().get(1)).directory()).isEqualTo(DiskCache.defaultDirectory());
    }

    /** A tier that breaks the contract by throwing. */
    static final class FailingCache implements LmCache {
        @Override
        public Optional<LmResponse> get(String key) {
            throw new IllegalStateException("tier is down");
        }

        @Override
        public void put(String key, LmResponse response) {
            throw new IllegalStateException("tier is down");
        }
    }
}
