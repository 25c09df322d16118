package dev.dspy4j.bench;

import dev.dspy4j.lm.ConcurrencyLimit;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Message;
import dev.dspy4j.lm.Retry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What an adaptive {@link ConcurrencyLimit} costs when a provider answers a share of requests with
 * 429 at random, independently of the load: the wall time of a fixed number of calls by a fixed
 * number of virtual threads through {@code Retry} (small delays) and, or not, the limit, against
 * an in-process LM that takes a fixed latency per call.
 *
 * <p>Usage: {@code ConcurrencyLimitHarness [latency-ms=20] [callers=64] [calls=2000]}. For the 429
 * shares 0, 5 % and 20 %, with and without {@code Retry-After}, prints one markdown table row:
 * the share, whether 429s carry Retry-After, the wall time without the limit, with {@code
 * ConcurrencyLimit.builder().initialLimit(callers).maxLimit(callers)}, with {@code
 * ConcurrencyLimit.defaults()}, the ratios to the first, and the final and lowest limits seen.
 * Each configuration runs three times; the median is reported.
 */
public final class ConcurrencyLimitHarness {

    private ConcurrencyLimitHarness() {}

    /** A provider that answers after {@code latency}, or with a 429 for a share of the calls. */
    private record FlakyLm(long latencyMillis, double rateLimitedShare, boolean retryAfter, SplittableRandom seed)
            implements Lm {
        @Override
        public LmResponse call(LmRequest request) {
            double draw;
            synchronized (seed) {
                draw = seed.nextDouble();
            }
            try {
                Thread.sleep(latencyMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LmException.Transport("interrupted", "bench", e);
            }
            if (draw < rateLimitedShare) {
                throw new LmException.RateLimited("429", "bench", 429, null,
                        retryAfter ? Duration.ofMillis(10) : null);
            }
            return LmResponse.of("ok");
        }

        @Override
        public String model() {
            return "bench/flaky";
        }
    }

    /** The wall time of a run and the lowest and final limit seen (-1 without a limit). */
    private record Run(double seconds, int lowestLimit, int finalLimit, int failures) {}

    /** Entry point. */
    public static void main(String[] args) throws Exception {
        long latencyMillis = args.length > 0 ? Long.parseLong(args[0]) : 20;
        int callers = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int calls = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
        System.out.println("| 429s | Retry-After | no limit | limit 64..64 | ratio | lowest / final | "
                + "defaults (16..256) | ratio | lowest / final | failures |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        run(latencyMillis, callers, calls / 4, 0.05, false, 1); // warm-up, not printed
        for (double share : new double[] {0, 0.05, 0.20}) {
            for (boolean retryAfter : share == 0 ? new boolean[] {false} : new boolean[] {false, true}) {
                Run none = median(latencyMillis, callers, calls, share, retryAfter, 0);
                Run atCallers = median(latencyMillis, callers, calls, share, retryAfter, 1);
                Run defaults = median(latencyMillis, callers, calls, share, retryAfter, 2);
                System.out.printf("| %.0f %% | %s | %.2f s | %.2f s | %.2f | %d / %d | %.2f s | %.2f | %d / %d | %d |%n",
                        share * 100, retryAfter ? "10 ms" : "no", none.seconds(), atCallers.seconds(),
                        atCallers.seconds() / none.seconds(), atCallers.lowestLimit(), atCallers.finalLimit(),
                        defaults.seconds(), defaults.seconds() / none.seconds(), defaults.lowestLimit(),
                        defaults.finalLimit(), none.failures() + atCallers.failures() + defaults.failures());
            }
        }
    }

    private static Run median(long latencyMillis, int callers, int calls, double share, boolean retryAfter,
                              int limitKind) throws Exception {
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(run(latencyMillis, callers, calls, share, retryAfter, limitKind));
        }
        runs.sort((a, b) -> Double.compare(a.seconds(), b.seconds()));
        return runs.get(1);
    }

    /** {@code limitKind}: 0 none, 1 initial = max = callers, 2 defaults. */
    private static Run run(long latencyMillis, int callers, int calls, double share, boolean retryAfter,
                           int limitKind) throws Exception {
        Lm provider = new FlakyLm(latencyMillis, share, retryAfter, new SplittableRandom(7));
        Retry retry = Retry.builder().maxRetries(50).initialDelay(Duration.ofMillis(5)).maxDelay(Duration.ofMillis(50))
                .deadline(Duration.ofMinutes(5)).random(new SplittableRandom(11)).build();
        ConcurrencyLimit limit = switch (limitKind) {
            case 1 -> ConcurrencyLimit.builder().initialLimit(callers).maxLimit(callers).build();
            case 2 -> ConcurrencyLimit.defaults();
            default -> null;
        };
        Lm lm = limit == null ? provider.withInterceptors(retry) : provider.withInterceptors(retry, limit);
        LmRequest request = LmRequest.of(List.of(Message.user("q")));

        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger lowest = new AtomicInteger(Integer.MAX_VALUE);
        List<Future<?>> workers = new ArrayList<>(callers);
        long start = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < callers; w++) {
                workers.add(threads.submit(() -> {
                    while (next.getAndIncrement() < calls) {
                        try {
                            lm.call(request);
                        } catch (LmException e) {
                            failures.incrementAndGet();
                        }
                        if (limit != null) {
                            lowest.accumulateAndGet(limit.currentLimit(), Math::min);
                        }
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Run(seconds, limit == null ? -1 : lowest.get(), limit == null ? -1 : limit.currentLimit(),
                failures.get());
    }
}
