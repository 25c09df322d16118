package dev.dspy4j.lm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Usage counts beyond a {@code long} are clamped (with a warning), not a raw JSON exception. */
class UsageOverflowTest {

    @RegisterExtension
    static final LoopbackServer server = LoopbackServer.start();

    static LmRequest request() {
        return new LmRequest(List.of(Message.user("Capital of France?")), LmOptions.NONE);
    }

    @Test
    void openAiUsageTooLargeForALongIsClampedAndTheCompletionKept() {
        server.respond(200, """
                {"choices":[{"message":{"content":"Paris"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":1e30,"completion_tokens":99999999999999999999}}""");

        LmResponse response = server.openAi().call(request());

        assertThat(response.text()).isEqualTo("Paris");
        assertThat(response.usage()).isEqualTo(new Usage(Long.MAX_VALUE, Long.MAX_VALUE));
        assertThat(response.usage().totalTokens()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void anthropicUsageTooLargeForALongIsClampedAndSumsSaturate() {
        server.respond(200, """
                {"model":"claude-sonnet-4-5","content":[{"type":"text","text":"Paris"}],"stop_reason":"end_turn",
                 "usage":{"input_tokens":99999999999999999999,"cache_read_input_tokens":9223372036854775807,
                  "output_tokens":-1e400}}""");

        LmResponse response = server.anthropic().call(request());

        assertThat(response.text()).isEqualTo("Paris");
        assertThat(response.usage()).isEqualTo(new Usage(Long.MAX_VALUE, 0));
    }

    @Test
    void fractionalCountsAreTruncatedAndSummedUsageSaturates() {
        server.respond(200, """
                {"choices":[{"message":{"content":"Paris"}}],"usage":{"prompt_tokens":12.7,"completion_tokens":3}}""");

        LmResponse response = server.openAi().call(request());

        assertThat(response.usage()).isEqualTo(new Usage(12, 3));
        assertThat(new Usage(Long.MAX_VALUE, 1).plus(new Usage(1, 1))).isEqualTo(new Usage(Long.MAX_VALUE, 2));
    }
}
