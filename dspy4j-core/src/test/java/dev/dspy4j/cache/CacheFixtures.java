package dev.dspy4j.cache;

import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.ToolCall;
import dev.dspy4j.lm.Usage;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** Responses and LMs shared by the cache tests. */
final class CacheFixtures {

    private CacheFixtures() {
    }

    /** A response that uses every field the codec stores. */
    static LmResponse richResponse(String text) {
        return new LmResponse(
                List.of(new Choice(text, List.of(ToolCall.parse("call_1", "search", "{\"q\":\"" + text + "\"}")),
                                "thinking about " + text, "tool_calls"),
                        new Choice("second " + text, List.of(), null, "length")),
                new Usage(120, 34), "gpt-4o-mini-2024-07-18", false);
    }

    /** An LM that answers with {@code answer(request)} and counts its calls. */
    static final class CountingLm implements Lm {
        final AtomicInteger calls = new AtomicInteger();
        private final String model;
        private final Function<LmRequest, LmResponse> answer;

        CountingLm(String model, Function<LmRequest, LmResponse> answer) {
            this.model = model;
            this.answer = answer;
        }

        CountingLm(String model) {
            this(model, request -> new LmResponse(
                    List.of(Choice.of("answer to " + request.messages().getLast().text())),
                    new Usage(10, 5), model, false));
        }

        @Override
        public LmResponse call(LmRequest request) {
            calls.incrementAndGet();
            return answer.apply(request);
        }

        @Override
        public String model() {
            return model;
        }
    }
}
