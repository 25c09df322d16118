package dev.dspy4j.spring;

import dev.dspy4j.cache.LmCache;
import dev.dspy4j.lm.LmResponse;
import java.util.Optional;

/** The cache bean for {@code dspy4j.cache.type=none}: the LM is built without a cache interceptor. */
final class NoCache implements LmCache {

    static final NoCache INSTANCE = new NoCache();

    private NoCache() {
    }

    @Override
    public Optional<LmResponse> get(String key) {
        return Optional.empty();
    }

    @Override
    public void put(String key, LmResponse response) {
        // nothing is kept
    }

    @Override
    public String toString() {
        return "NoCache";
    }
}
