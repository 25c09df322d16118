package dev.dspy4j.cache;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/**
 * Logs a failing cache tier at WARN once per outage: the first failure warns, later ones go to
 * DEBUG, and the first success after a failure logs INFO and re-arms the warning.
 */
final class OutageWarning {

    private final Logger log;
    private final String tier;
    private final AtomicBoolean failing = new AtomicBoolean();

    OutageWarning(Logger log, String tier) {
        this.log = log;
        this.tier = tier;
    }

    void failed(String what, Throwable cause) {
        if (failing.compareAndSet(false, true)) {
            log.warn("{} unavailable, serving misses until it recovers: {} ({})", tier, what, describe(cause));
        } else if (log.isDebugEnabled()) {
            log.debug("{} still unavailable: {} ({})", tier, what, describe(cause));
        }
    }

    void succeeded() {
        if (failing.get() && failing.compareAndSet(true, false)) {
            log.info("{} available again", tier);
        }
    }

    private static String describe(Throwable cause) {
        return cause == null ? "no cause" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
