package dev.dspy4j.lm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.cache.CacheInterceptor;
import dev.dspy4j.cache.MemoryCache;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.module.Predict;
import dev.dspy4j.provider.OpenAiLm;
import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.FakeLmServer;
import dev.dspy4j.testkit.server.Fault;
import dev.dspy4j.testkit.server.RecordedRequest;
import dev.dspy4j.testkit.server.Reply;
import dev.dspy4j.usage.UsageTracker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * 2,000 predictions on virtual threads through the whole call path ({@link UsageTracker},
 * {@link Retry}, a memory cache, {@link ConcurrencyLimit}, {@link OpenAiLm}) against a fake server
 * failing 20% of requests with a seeded mix of faults. Every call must end exactly once, as the
 * right answer or a clear {@link LmException}; the server must see exactly the attempts the
 * retry rules allow (retryable faults retried, the non-retryable malformed reply never), each 429
 * followed by a wait at least as long as its Retry-After.
 */
class FaultSoakTest {

    private static final int CALLS = 2_000;
    private static final int MAX_RETRIES = 6;
    private static final Duration RETRY_AFTER = Duration.ofMillis(30);
    private static final Pattern ID = Pattern.compile("item-(\\d+)");

    private FakeLmServer server;

    @BeforeEach
    void startServer() {
        server = FakeLmServer.start(Dialect.OPENAI)
                .latency(Duration.ofMillis(1), Duration.ofMillis(4), 11)
                .respondWith(request -> {
                    int id = idOf(request);
                    return Reply.text("[[ ## answer ## ]]\n" + (2 * id) + "\n\n[[ ## completed ## ]]").withUsage(10, 3);
                });
        server.faults().random(0.2, 20_240_601L,
                Fault.rateLimited(RETRY_AFTER), Fault.serverError(), Fault.serviceUnavailable(), Fault.overloaded(),
                Fault.connectionReset(), Fault.truncatedStream(), Fault.malformedJson());
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    @Test
    void everyCallEndsOnceAsItsAnswerOrAClearErrorUnderTwentyPercentFaults() throws Exception {
        UsageTracker usage = UsageTracker.create();
        Lm client = OpenAiLm.builder().model("openai/gpt-4o-mini").apiKey("sk-soak").baseUrl(server.baseUrl())
                .timeout(Duration.ofSeconds(5)).environment(Map.of()).build();
        Lm lm = client.withInterceptors(usage,
                Retry.builder().maxRetries(MAX_RETRIES).initialDelay(Duration.ofMillis(2))
                        .maxDelay(Duration.ofMillis(20)).deadline(Duration.ofSeconds(20)).build(),
                new CacheInterceptor(new MemoryCache(10_000)),
                ConcurrencyLimit.builder().initialLimit(64).minLimit(16).maxLimit(256).build());
        Predict predict = Predict.of("question -> answer");
        DspyContext context = DspyContext.of(lm);
        Map<Integer, Object> outcomes = new ConcurrentHashMap<>();
        Map<Integer, Integer> endings = new ConcurrentHashMap<>();

        long start = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < CALLS; i++) {
                int id = i;
                threads.execute(() -> {
                    Object outcome;
                    try {
                        Prediction p = predict.call(Map.of("question", "What is twice item-" + id + "?"), context);
                        outcome = p.getString("answer");
                    } catch (RuntimeException e) {
                        outcome = e;
                    }
                    outcomes.put(id, outcome);
                    endings.merge(id, 1, Integer::sum);
                });
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        // every call ended exactly once
        assertThat(endings).hasSize(CALLS);
        assertThat(endings.values()).containsOnly(1);
        assertThat(elapsed).as("soak duration").isLessThan(Duration.ofSeconds(30));

        Map<Integer, List<RecordedRequest>> attempts = server.requests().stream()
                .collect(Collectors.groupingBy(FaultSoakTest::idOf));
        assertThat(attempts.keySet()).as("server saw only the soak's inputs, every one of them")
                .containsExactlyInAnyOrderElementsOf(outcomes.keySet());

        int answered = 0;
        int nonRetryable = 0;
        int exhausted = 0;
        for (Map.Entry<Integer, Object> entry : outcomes.entrySet()) {
            int id = entry.getKey();
            List<RecordedRequest> tries = attempts.get(id);
            RecordedRequest last = tries.get(tries.size() - 1);
            for (RecordedRequest earlier : tries.subList(0, tries.size() - 1)) {
                assertThat(earlier.fault()).as("item %d: only a retryable fault is retried: %s", id, tries)
                        .hasValueSatisfying(f -> assertThat(f.retryable()).isTrue());
            }
            switch (entry.getValue()) {
                case String answer -> {
                    answered++;
                    assertThat(answer).as("item %d's answer", id).isEqualTo(Integer.toString(2 * id));
                    assertThat(last.fault()).as("item %d: answered by its last request", id).isEmpty();
                }
                case LmException e when !e.isRetryable() -> {
                    nonRetryable++;
                    assertThat(e).as("item %d", id).isInstanceOf(LmException.Configuration.class);
                    assertThat(last.fault()).as("item %d: failed on the malformed reply", id)
                            .contains(Fault.malformedJson());
                    assertThat(e.getMessage()).contains("malformed");
                }
                case LmException e -> {
                    exhausted++;
                    assertThat(tries).as("item %d: retries exhausted", id).hasSize(MAX_RETRIES + 1);
                    assertThat(last.fault()).isPresent();
                    assertThat(e.getMessage()).isNotBlank();
                }
                default -> throw new AssertionError("item " + id + " ended with an exception outside the "
                        + "LmException hierarchy", (Throwable) entry.getValue());
            }
        }
        assertThat(answered + nonRetryable + exhausted).isEqualTo(CALLS);
        assertThat(answered).as("almost every call recovers").isGreaterThan(CALLS * 9 / 10);
        assertThat(nonRetryable).as("some calls hit the malformed reply first").isPositive();

        // Retry-After honoured: the retry after a 429 comes no sooner than it asked
        List<Duration> gaps = new ArrayList<>();
        for (List<RecordedRequest> tries : attempts.values()) {
            for (int i = 0; i + 1 < tries.size(); i++) {
                if (tries.get(i).fault().orElse(null) instanceof Fault.RateLimit) {
                    gaps.add(Duration.ofNanos(tries.get(i + 1).receivedNanos() - tries.get(i).finishedNanos()));
                }
            }
        }
        assertThat(gaps).as("429s that were retried").hasSizeGreaterThan(20);
        assertThat(gaps).allSatisfy(gap -> assertThat(gap).isGreaterThanOrEqualTo(RETRY_AFTER));

        // usage counted once per answered call; answered inputs are now cached
        assertThat(usage.snapshot().total().calls()).isEqualTo(answered);
        int before = server.requestCount();
        server.faults().clear();
        Map<Integer, String> again = new HashMap<>();
        outcomes.forEach((id, outcome) -> {
            if (outcome instanceof String && again.size() < 50) {
                again.put(id, predict.call(Map.of("question", "What is twice item-" + id + "?"), context)
                        .getString("answer"));
            }
        });
        again.forEach((id, answer) -> assertThat(answer).isEqualTo(Integer.toString(2 * id)));
        assertThat(server.requestCount()).as("repeated inputs are served from the cache").isEqualTo(before);
    }

    private static int idOf(RecordedRequest request) {
        Matcher m = ID.matcher(request.lastUserText());
        if (!m.find()) {
            throw new IllegalStateException("no item id in " + request.lastUserText());
        }
        return Integer.parseInt(m.group(1));
    }
}
