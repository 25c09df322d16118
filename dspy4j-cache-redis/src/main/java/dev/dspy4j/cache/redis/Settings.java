package dev.dspy4j.cache.redis;

import java.time.Duration;
import java.util.Objects;

/** The checks the builders of {@link RedisCache} and {@link RedisRateLimiter} share. */
final class Settings {

    private Settings() {
    }

    /** {@code value}, if it is at least one millisecond. */
    static Duration atLeastOneMilli(String name, Duration value) {
        if (Objects.requireNonNull(value, name).toMillis() < 1) {
            throw new IllegalArgumentException(name + " must be at least 1 ms, was " + value);
        }
        return value;
    }

    /** {@code value}, if it is at least 1. */
    static int atLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, was " + value);
        }
        return value;
    }
}
