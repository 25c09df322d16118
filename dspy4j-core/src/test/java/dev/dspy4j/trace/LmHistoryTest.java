package dev.dspy4j.trace;

import static dev.dspy4j.lm.FakeLms.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Message;
import dev.dspy4j.lm.Usage;
import dev.dspy4j.module.Predict;
import dev.dspy4j.usage.PriceTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class LmHistoryTest {

    private static final String ANSWER = "[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]";

    /** A clock that shows a set instant and moves only when told. */
    private static final class StepClock extends Clock {
        private Instant now;

        StepClock(Instant start) {
            this.now = start;
        }

        void advance(Duration step) {
            now = now.plus(step);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static LmResponse reply(String model, List<String> texts, Usage usage, boolean cacheHit) {
        return new LmResponse(texts.stream().map(Choice::of).toList(), usage, model, cacheHit);
    }

    private static LmRequest request(String text) {
        return LmRequest.of(List.of(Message.user(text)));
    }

    @Test
    void keepsOnlyTheLastCapacityCallsOldestFirst() {
        LmHistory history = LmHistory.builder().capacity(3).build();

        for (int i = 1; i <= 5; i++) {
            history.record("m", request("q" + i), LmResponse.of("a" + i));
        }

        assertThat(history.size()).isEqualTo(3);
        assertThat(history.calls()).extracting(LmCall::text).containsExactly("a3", "a4", "a5");
        assertThat(history.last(2)).extracting(LmCall::text).containsExactly("a4", "a5");
        assertThat(history.last(10)).hasSize(3);
        history.clear();
        assertThat(history.calls()).isEmpty();
    }

    @Test
    void inspectHistoryPrintsExactlyWhatDspyPrints() {
        StepClock clock = new StepClock(Instant.parse("2025-01-02T03:04:05.123456Z"));
        LmHistory history = LmHistory.builder().clock(clock).build();
        history.record("openai/gpt-4o-mini", new LmRequest(List.of(
                        Message.system("Your input fields are:\n1. `question` (str)\n"),
                        Message.user("  [[ ## question ## ]]\nCapital of France?  \n")), LmOptions.NONE),
                reply(null, List.of("  [[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]\n"), Usage.ZERO, false));
        clock.advance(Duration.ofNanos(876_544_000));
        history.record("openai/gpt-4o-mini", request("Hi"), reply(null, List.of("one", "two", "three"), Usage.ZERO,
                false));

        // produced by DSPy 3.3.1's pretty_print_history(history, 2, file=io.StringIO()) for the same entries
        assertThat(history.inspectHistory(2)).isEqualTo("\n\n\n\n[2025-01-02T03:04:05.123456]\n\nSystem message:\n\n"
                + "Your input fields are:\n1. `question` (str)\n\n\nUser message:\n\n[[ ## question ## ]]\n"
                + "Capital of France?\n\n\nResponse:\n\n[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]\n\n\n\n\n\n"
                + "[2025-01-02T03:04:06]\n\nUser message:\n\nHi\n\n\nResponse:\n\none\n\n"
                + " \t (and 2 other completions)\n\n\n\n\n");
    }

    @Test
    void inspectHistoryInColorUsesDspysAnsiCodes() {
        LmHistory history = LmHistory.builder()
                .clock(Clock.fixed(Instant.parse("2025-01-02T03:04:06Z"), ZoneOffset.UTC)).build();
        history.record("m", request("Hi"), reply(null, List.of("one", "two", "three"), Usage.ZERO, false));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        history.inspectHistory(1, new PrintStream(bytes, true, StandardCharsets.UTF_8), true);

        // DSPy 3.3.1's pretty_print_history(history, 1) printing to stdout
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("\n\n\n\n\u001b[34m[2025-01-02T03:04:06]\u001b[0m\n\n"
                + "\u001b[31mUser message:\u001b[0m\n\nHi\n\n\n\u001b[31mResponse:\u001b[0m\n\n\u001b[32mone\u001b[0m\n\n"
                + "\u001b[31m \t (and 2 other completions)\u001b[0m\n\n\n\n\n");
    }

    @Test
    void printsWithoutColorToAStreamThatIsNotTheTerminal() {
        LmHistory history = LmHistory.create();
        history.record("m", request("Hi"), LmResponse.of("one"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        history.inspectHistory(1, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("\u001b").contains("Response:\n\none\n");
    }

    @Test
    void inspectHistoryShowsOnlyTheLastNAndNeedsAPositiveN() {
        LmHistory history = LmHistory.create();
        assertThat(history.inspectHistory(3)).isEqualTo("\n\n\n\n");
        history.record("m", request("first"), LmResponse.of("1"));
        history.record("m", request("second"), LmResponse.of("2"));

        assertThat(history.inspectHistory(1)).contains("second").doesNotContain("first");
        assertThatThrownBy(() -> history.inspectHistory(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("n must be >= 1");
    }

    @Test
    void perLmHistorySeesThatLmsCallsAndPerProgramHistorySeesTheRunsCalls() {
        LmHistory perLm = LmHistory.create();
        LmHistory perProgram = LmHistory.create();
        Lm main = named("openai/gpt-4o-mini", reply("gpt-4o-mini-2024-07-18", List.of(ANSWER), Usage.ZERO, false))
                .withInterceptors(perLm);
        Lm other = named("anthropic/claude-sonnet-4", reply("claude-sonnet-4-20250514", List.of(ANSWER), Usage.ZERO,
                false));
        Predict predict = Predict.of("question -> answer");

        predict.call(Map.of("question", "a"), DspyContext.of(main).withInterceptors(perProgram));
        predict.call(Map.of("question", "b"), DspyContext.of(other).withInterceptors(perProgram));
        predict.call(Map.of("question", "c"), DspyContext.of(main));

        assertThat(perLm.calls()).extracting(LmCall::model).containsExactly("openai/gpt-4o-mini", "openai/gpt-4o-mini");
        assertThat(perProgram.calls()).extracting(LmCall::model)
                .containsExactly("openai/gpt-4o-mini", "anthropic/claude-sonnet-4");
        assertThat(perProgram.calls()).extracting(LmCall::responseModel)
                .containsExactly("gpt-4o-mini-2024-07-18", "claude-sonnet-4-20250514");
        assertThat(perProgram.calls().get(0).messages()).isEqualTo(perLm.calls().get(0).messages());
    }

    @Test
    void keepsTheOptionsSentButNeverCredentialsOrCacheControls() {
        LmHistory history = LmHistory.create();
        LmOptions options = LmOptions.NONE.withTemperature(0.7).withRolloutId(3).withCache(false)
                .withExtra("api_key", "sk-canary").withExtra("extra_headers", Map.of("Authorization", "Bearer x"))
                .withExtra("reasoning_effort", "low");

        LmCall call = history.record("m", new LmRequest(List.of(Message.user("q")), options), LmResponse.of("a"));

        assertThat(call.options()).containsExactly(Map.entry("temperature", 0.7), Map.entry("reasoning_effort", "low"));
        assertThat(call.toString()).doesNotContain("sk-canary");
    }

    @Test
    void pricesEachCallAndCountsCacheHitsAsFree() {
        LmHistory history = LmHistory.builder().prices(PriceTable.empty().with("m", "1", "2")).build();

        LmCall paid = history.record("m", request("q"), reply(null, List.of("a"), new Usage(1_000, 500), false));
        LmCall cached = history.record("m", request("q"), reply(null, List.of("a"), new Usage(1_000, 500), true));
        LmCall unpriced = history.record("x", request("q"), reply(null, List.of("a"), new Usage(1_000, 500), false));

        assertThat(paid.cost()).isEqualByComparingTo("0.002");
        assertThat(cached.cost()).isEqualTo(BigDecimal.ZERO);
        assertThat(cached.cacheHit()).isTrue();
        assertThat(cached.usage()).isEqualTo(new Usage(1_000, 500));
        assertThat(unpriced.cost()).isNull();
    }

    @Test
    void entryIdsAreRandomVersion4UuidsReproducibleWithASeed() {
        LmHistory first = LmHistory.builder().random(new SplittableRandom(5)).build();
        LmHistory second = LmHistory.builder().random(new SplittableRandom(5)).build();

        LmCall a = first.record("m", request("q"), LmResponse.of("a"));
        LmCall b = second.record("m", request("q"), LmResponse.of("a"));
        LmCall c = first.record("m", request("q"), LmResponse.of("a"));

        assertThat(a.uuid()).isEqualTo(b.uuid()).isNotEqualTo(c.uuid());
        assertThat(a.uuid().version()).isEqualTo(4);
        assertThat(a.uuid().variant()).isEqualTo(2);
    }

    @Test
    void recordsFromManyThreadsWithoutLosingOrOverflowing() throws Exception {
        LmHistory big = LmHistory.builder().capacity(10_000).build();
        LmHistory small = LmHistory.builder().capacity(100).build();

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 1000; i++) {
                String text = "a" + i;
                threads.submit(() -> {
                    big.record("m", request("q"), LmResponse.of(text));
                    small.record("m", request("q"), LmResponse.of(text));
                });
            }
        }

        assertThat(big.calls()).extracting(LmCall::text).doesNotHaveDuplicates().hasSize(1000);
        assertThat(small.calls()).hasSize(100).doesNotContainNull();
    }

    @Test
    void failedCallsAreNotKept() {
        LmHistory history = LmHistory.create();
        Lm failing = ((Lm) request -> {
            throw new IllegalStateException("down");
        }).withInterceptors(history);

        assertThatThrownBy(() -> failing.call(request("q"))).isInstanceOf(IllegalStateException.class);
        assertThat(history.size()).isZero();
    }

    @Test
    void theBuilderRejectsANonPositiveCapacity() {
        assertThatThrownBy(() -> LmHistory.builder().capacity(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity");
        assertThat(LmHistory.create().capacity()).isEqualTo(LmHistory.DEFAULT_CAPACITY).isEqualTo(1_000);
    }

    @Test
    void inspectHistoryShowsMediaPartsAsDspyDoesWithoutTheirData() {
        LmHistory history = LmHistory.create();
        LmRequest request = LmRequest.of(List.of(Message.user(List.of(
                dev.dspy4j.lm.ContentPart.text("[[ ## photo ## ]]\n"),
                new dev.dspy4j.lm.ContentPart.Image("https://example.com/cat.png"),
                dev.dspy4j.lm.ContentPart.Image.ofBytes(new byte[] {1, 2, 3, 4, 5, 6}, "image/png"),
                dev.dspy4j.lm.ContentPart.Audio.ofBytes(new byte[] {1, 2, 3}, "wav"),
                dev.dspy4j.lm.ContentPart.File.ofId("file-123", "notes.txt")))));

        history.record("m", request, LmResponse.of("ok"));
        String text = history.inspectHistory(1);

        assertThat(text).contains("User message:\n\n[[ ## photo ## ]]\n<image_url: https://example.com/cat.png>\n\n"
                + "<data:image/png;base64,<IMAGE BASE 64 ENCODED(8)>\n\n"
                + "<audio format='wav' base64-encoded, length=4>\n\n"
                + "<file: name:notes.txt, id:file-123, data_length:0>\n\n");
        assertThat(text).doesNotContain("AQIDBAUG");
    }

    @Test
    void inspectHistoryPrintsNothingForADocumentAsDspyDoes() {
        LmHistory history = LmHistory.create();
        LmRequest request = LmRequest.of(List.of(Message.user(List.of(
                dev.dspy4j.lm.ContentPart.text("[[ ## doc ## ]]\n"),
                new dev.dspy4j.lm.ContentPart.Document("The Nile is long.", "text/plain", "Nile", null),
                dev.dspy4j.lm.ContentPart.text("\n\nRespond.")))));

        history.record("m", request, LmResponse.of("ok"));

        assertThat(history.inspectHistory(1)).contains("User message:\n\n[[ ## doc ## ]]\nRespond.\n")
                .doesNotContain("The Nile is long.");
    }
}
