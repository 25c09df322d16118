package dev.dspy4j.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Retry;
import dev.dspy4j.testkit.ScriptedLm;
import dev.dspy4j.tool.Tool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Many agents at once against a faulty LM and a flaky, sometimes hanging tool: every run ends, with
 * an answer or an error, and leaves no thread behind.
 */
class ReActFaultTest {

    private static final int RUNS = 200;
    private static final long SEED = 42;

    /** What one run ended with. */
    record Outcome(int run, String answer, Throwable error) {}

    @Test
    void everyRunEndsWithAnAnswerOrAnErrorAndNoThreadIsLeftRunning() throws Exception {
        // given: tool code that counts its own live invocations, so hung ones are seen
        AtomicInteger toolsRunning = new AtomicInteger();
        AtomicInteger hangs = new AtomicInteger();
        AtomicInteger toolFailures = new AtomicInteger();
        Set<String> platformThreadsBefore = platformThreads();

        // when: 200 agents run at once on virtual threads, each with its own seeded faults
        List<Callable<Outcome>> runs = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            int run = i;
            runs.add(() -> runOnce(run, toolsRunning, hangs, toolFailures));
        }
        List<Future<Outcome>> futures;
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            futures = executor.invokeAll(runs, 60, TimeUnit.SECONDS); // a hung run would be cancelled here
        }

        // then: each run ended (none was cancelled at the overall deadline) with an answer or an error
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> future : futures) {
            assertThat(future.state()).isEqualTo(Future.State.SUCCESS);
            outcomes.add(future.resultNow());
        }
        assertThat(outcomes).allSatisfy(o -> assertThat(o.answer() != null ^ o.error() != null).isTrue());
        List<Outcome> answered = outcomes.stream().filter(o -> o.answer() != null).toList();
        List<Outcome> failed = outcomes.stream().filter(o -> o.error() != null).toList();
        assertThat(answered).isNotEmpty().allSatisfy(o -> assertThat(o.answer()).isEqualTo("42"));
        // the only errors are the LM's faults that outlasted the retry
        assertThat(failed).isNotEmpty().allSatisfy(o -> assertThat(o.error())
                .isInstanceOf(LmException.class).matches(e -> ((LmException) e).isRetryable()));
        assertThat(hangs.get()).as("tool calls that hung and were timed out").isPositive();
        assertThat(toolFailures.get()).as("tool calls that threw").isPositive();

        // and: the hung tool calls were interrupted and have ended; no platform thread was left behind
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (toolsRunning.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(toolsRunning.get()).as("tool invocations still running").isZero();
        Set<String> leftBehind = platformThreads();
        leftBehind.removeAll(platformThreadsBefore);
        assertThat(leftBehind).as("platform threads started by the runs and still alive").isEmpty();
    }

    private static Outcome runOnce(int run, AtomicInteger toolsRunning, AtomicInteger hangs,
                                   AtomicInteger toolFailures) {
        Random random = new Random(SEED + run);
        Tool lookup = Tool.ofSchema("lookup", "Look the answer up.", Map.of("query", Map.of("type", "string")),
                        args -> flakyLookup(random, toolsRunning, hangs, toolFailures))
                .toBuilder().timeout(Duration.ofMillis(100)).build();
        Lm lm = faultyLm(new Random(SEED * 31 + run)).withInterceptors(Retry.builder().maxRetries(1)
                .sleeper(duration -> {}).random(new SplittableRandom(run)).build());
        ReAct agent = ReAct.builder(dev.dspy4j.signature.Signature.parse("question -> answer"), List.of(lookup))
                .maxIters(4).build();
        try {
            Prediction prediction = agent.call(Map.of("question", "What is the answer?"), DspyContext.of(lm));
            return new Outcome(run, prediction.getString("answer"), null);
        } catch (RuntimeException e) {
            return new Outcome(run, null, e);
        }
    }

    /** Throws 30 % of the time; otherwise hangs (until interrupted) one time in four. */
    private static Object flakyLookup(Random random, AtomicInteger running, AtomicInteger hangs,
                                      AtomicInteger failures) {
        running.incrementAndGet();
        try {
            double roll;
            synchronized (random) {
                roll = random.nextDouble();
            }
            if (roll < 0.3) {
                failures.incrementAndGet();
                throw new IllegalStateException("lookup service unavailable");
            }
            if (roll < 0.475) {
                hangs.incrementAndGet();
                try {
                    Thread.sleep(Duration.ofMinutes(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            return "The answer is 42.";
        } finally {
            running.decrementAndGet();
        }
    }

    /** Answers react and extract calls; 20 % of calls fail with a retryable error instead. */
    private static Lm faultyLm(Random random) {
        AtomicInteger step = new AtomicInteger();
        return ScriptedLm.responding(request -> {
            double roll;
            synchronized (random) {
                roll = random.nextDouble();
            }
            if (roll < 0.2) {
                throw roll < 0.1
                        ? new LmException.ServerError("scripted outage", "scripted", 503, null)
                        : new LmException.RateLimited("scripted rate limit", "scripted", 429, null, null);
            }
            return LmResponse.of(isExtract(request)
                    ? "[[ ## reasoning ## ]]\nLooked it up.\n\n[[ ## answer ## ]]\n42\n\n[[ ## completed ## ]]"
                    : step.getAndIncrement() < 2
                            ? "[[ ## next_thought ## ]]\nLook.\n\n[[ ## next_tool_name ## ]]\nlookup\n\n"
                                    + "[[ ## next_tool_args ## ]]\n{\"query\": \"answer\"}\n\n[[ ## completed ## ]]"
                            : "[[ ## next_thought ## ]]\nDone.\n\n[[ ## next_tool_name ## ]]\nfinish\n\n"
                                    + "[[ ## next_tool_args ## ]]\n{}\n\n[[ ## completed ## ]]");
        });
    }

    private static boolean isExtract(LmRequest request) {
        return request.messages().get(request.messages().size() - 1).text().contains("`[[ ## reasoning ## ]]`");
    }

    /**
     * Live platform threads, except the JDK-wide pools whose idle workers linger on their own: the
     * virtual-thread scheduler's carriers and the common fork-join pool.
     */
    private static Set<String> platformThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> !t.getName().startsWith("ForkJoinPool") && !t.getName().startsWith("VirtualThread-"))
                .map(t -> t.getName() + "#" + t.threadId())
                .collect(Collectors.toSet());
    }
}
