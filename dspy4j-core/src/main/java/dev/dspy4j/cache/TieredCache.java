package dev.dspy4j.cache;

import dev.dspy4j.lm.LmResponse;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cache tiers searched fastest first, typically memory, then disk, then a shared remote tier.
 *
 * <p>{@link #get} asks each tier in order; a hit in a lower tier is copied into every tier above
 * it (promotion), so the next lookup is served from memory. {@link #put} writes through to every
 * tier. A tier that throws despite the {@link LmCache} contract is treated as a miss (or a dropped
 * put) and logged at WARN once per outage.
 *
 * <p>Thread-safe if its tiers are. Closing it closes every tier.
 */
public final class TieredCache implements LmCache {

    private static final Logger LOG = LoggerFactory.getLogger(TieredCache.class);

    private final List<LmCache> tiers;
    private final List<OutageWarning> outages;

    private TieredCache(List<LmCache> tiers) {
        if (tiers.isEmpty()) {
            throw new IllegalArgumentException("a TieredCache needs at least one tier");
        }
        this.tiers = List.copyOf(tiers);
        this.outages = this.tiers.stream().map(t -> new OutageWarning(LOG, "Cache tier " + t)).toList();
    }

    /**
     * Tiers in lookup order, fastest first.
     *
     * @param tiers at least one tier
     * @return the tiered cache
     * @throws IllegalArgumentException if no tier is given
     * @throws NullPointerException if a tier is null
     */
    public static TieredCache of(LmCache... tiers) {
        return new TieredCache(List.of(tiers));
    }

    /**
     * Tiers in lookup order, fastest first.
     *
     * @param tiers at least one tier
     * @return the tiered cache
     * @throws IllegalArgumentException if the list is empty
     * @throws NullPointerException if a tier is null
     */
    public static TieredCache of(List<? extends LmCache> tiers) {
        return new TieredCache(List.copyOf(tiers));
    }

    /**
     * DSPy's default arrangement: a {@link MemoryCache} of {@link MemoryCache#DEFAULT_MAX_ENTRIES}
     * entries in front of a {@link DiskCache} in {@link DiskCache#defaultDirectory()}. Touches no
     * file until first used.
     */
    public static TieredCache defaults() {
        return of(new MemoryCache(MemoryCache.DEFAULT_MAX_ENTRIES), DiskCache.atDefaultDirectory());
    }

    /** The tiers, fastest first. */
    public List<LmCache> tiers() {
        return tiers;
    }

    @Override
    public Optional<LmResponse> get(String key) {
        Objects.requireNonNull(key, "key");
        for (int i = 0; i < tiers.size(); i++) {
            Optional<LmResponse> hit = safeGet(i, key);
            if (hit.isPresent()) {
                for (int upper = 0; upper < i; upper++) {
                    safePut(upper, key, hit.get());
                }
                return hit;
            }
        }
        return Optional.empty();
    }

    @Override
    public void put(String key, LmResponse response) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(response, "response");
        for (int i = 0; i < tiers.size(); i++) {
            safePut(i, key, response);
        }
    }

    private Optional<LmResponse> safeGet(int tier, String key) {
        try {
            Optional<LmResponse> hit = tiers.get(tier).get(key);
            outages.get(tier).succeeded();
            return hit;
        } catch (RuntimeException e) {
            outages.get(tier).failed("get failed", e);
            return Optional.empty();
        }
    }

    private void safePut(int tier, String key, LmResponse response) {
        try {
            tiers.get(tier).put(key, response);
            outages.get(tier).succeeded();
        } catch (RuntimeException e) {
            outages.get(tier).failed("put failed", e);
        }
    }

    /** Closes every tier, even if one fails; the first failure is rethrown after. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (LmCache tier : tiers) {
            try {
                tier.close();
            } catch (Exception e) {
                RuntimeException wrapped = e instanceof RuntimeException r ? r
                        : new IllegalStateException("closing " + tier + " failed", e);
                if (first == null) {
                    first = wrapped;
                } else {
                    first.addSuppressed(wrapped);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "TieredCache" + tiers;
    }
}
