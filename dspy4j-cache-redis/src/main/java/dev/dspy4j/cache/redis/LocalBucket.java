package dev.dspy4j.cache.redis;

/**
 * The in-process stand-in for the Redis bucket while Redis is unavailable: the same GCRA for
 * requests (no token limit), in microseconds, for this JVM alone.
 *
 * <p>Thread-safe (synchronized; it is only used during outages).
 */
final class LocalBucket {

    private final double interval;
    private final double tolerance;
    private double next = Double.NEGATIVE_INFINITY; // theoretical arrival time of the next request

    /**
     * @param perSecond permits per second, > 0
     * @param burst the capacity, >= 1
     */
    LocalBucket(double perSecond, int burst) {
        this.interval = 1_000_000.0 / perSecond;
        this.tolerance = (burst - 1) * interval;
    }

    /** Takes a permit at {@code nowMicros}: 0 if granted, else the milliseconds until one exists. */
    synchronized long tryAcquire(long nowMicros) {
        double tat = Math.max(next, nowMicros);
        double ahead = tat - nowMicros;
        if (ahead > tolerance) {
            return Math.max(1, (long) Math.ceil((ahead - tolerance) / 1000.0));
        }
        next = tat + interval;
        return 0;
    }
}
