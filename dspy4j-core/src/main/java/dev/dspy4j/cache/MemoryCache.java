package dev.dspy4j.cache;

import dev.dspy4j.lm.LmResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An in-process cache tier: a least-recently-used map bounded by entry count.
 *
 * <p>Reads and writes are O(1). One lock guards the map (a {@code ReentrantLock}, so virtual
 * threads waiting on it do not pin their carrier); the critical sections are a hash lookup and a
 * relink, so the lock is held for well under a microsecond. A read counts as a use: the entry
 * least recently read or written is evicted first. Responses are immutable and stored as given.
 *
 * <p>Thread-safe. Never fails: it has no infrastructure to lose.
 */
public final class MemoryCache implements LmCache {

    /**
     * The default capacity of {@link TieredCache#defaults()}. DSPy keeps a million entries; dspy4j
     * keeps fewer because every entry stays on the Java heap.
     */
    public static final int DEFAULT_MAX_ENTRIES = 100_000;

    private final int maxEntries;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<String, LmResponse> entries;

    /**
     * Creates an empty cache.
     *
     * @param maxEntries how many responses to keep, at least 1
     * @throws IllegalArgumentException if {@code maxEntries} is below 1
     */
    public MemoryCache(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be >= 1, was " + maxEntries);
        }
        this.maxEntries = maxEntries;
        // access order: get() moves an entry to the tail; the head is the least recently used
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, LmResponse> eldest) {
                return size() > MemoryCache.this.maxEntries;
            }
        };
    }

    @Override
    public Optional<LmResponse> get(String key) {
        Objects.requireNonNull(key, "key");
        lock.lock();
        try {
            return Optional.ofNullable(entries.get(key));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void put(String key, LmResponse response) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(response, "response");
        lock.lock();
        try {
            entries.put(key, response);
        } finally {
            lock.unlock();
        }
    }

    /** The number of responses held now. */
    public int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    /** The capacity given at construction. */
    public int maxEntries() {
        return maxEntries;
    }

    /** Removes every entry. */
    public void clear() {
        lock.lock();
        try {
            entries.clear();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "MemoryCache[maxEntries=" + maxEntries + "]";
    }
}
