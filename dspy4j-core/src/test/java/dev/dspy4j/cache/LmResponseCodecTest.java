package dev.dspy4j.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Usage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LmResponseCodecTest {

    @Test
    void roundTripsChoicesToolCallsReasoningFinishReasonUsageAndModel() {
        LmResponse response = CacheFixtures.richResponse("Paris");

        LmResponse decoded = LmResponseCodec.decode(LmResponseCodec.encode(response));

        assertThat(decoded).isEqualTo(response);
    }

    @Test
    void roundTripsNullModelAndEmptyText() {
        LmResponse response = new LmResponse(List.of(new dev.dspy4j.lm.Choice("", List.of(), null, null)),
                Usage.ZERO, null, false);

        assertThat(LmResponseCodec.decode(LmResponseCodec.encode(response))).isEqualTo(response);
    }

    @Test
    void doesNotStoreTheCacheHitFlag() {
        LmResponse hit = new LmResponse(List.of(dev.dspy4j.lm.Choice.of("x")), new Usage(1, 2), "m", true);

        assertThat(LmResponseCodec.decode(LmResponseCodec.encode(hit)).cacheHit()).isFalse();
    }

    @Test
    void encodingIsPinned() {
        String json = new String(LmResponseCodec.encode(CacheFixtures.richResponse("Paris")), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"format\":\"dspy4j.lm-response\",\"version\":1,\"model\":\"gpt-4o-mini-2024-07-18\","
                + "\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":34},\"choices\":["
                + "{\"text\":\"Paris\",\"tool_calls\":[{\"id\":\"call_1\",\"name\":\"search\",\"arguments\":\"{\\\"q\\\":\\\"Paris\\\"}\"}],"
                + "\"reasoning_content\":\"thinking about Paris\",\"finish_reason\":\"tool_calls\"},"
                + "{\"text\":\"second Paris\",\"tool_calls\":[],\"reasoning_content\":null,\"finish_reason\":\"length\"}]}");
    }

    @Test
    void rejectsAnotherFormatVersion() {
        String json = new String(LmResponseCodec.encode(LmResponse.of("x")), StandardCharsets.UTF_8)
                .replace("\"version\":1", "\"version\":3");

        assertThatThrownBy(() -> LmResponseCodec.decode(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CacheFormatException.class)
                .hasMessageContaining("version 3");
    }

    @Test
    void rejectsTruncatedBytes() {
        byte[] bytes = LmResponseCodec.encode(CacheFixtures.richResponse("Paris"));

        for (int length : new int[] {0, 1, bytes.length / 2, bytes.length - 1}) {
            assertThatThrownBy(() -> LmResponseCodec.decode(Arrays.copyOf(bytes, length)))
                    .isInstanceOf(CacheFormatException.class);
        }
    }

    @Test
    void rejectsJsonThatIsNotAResponse() {
        for (String json : List.of("[]", "{}", "null", "{\"format\":\"dspy4j.lm-response\",\"version\":1}",
                "{\"format\":\"dspy4j.lm-response\",\"version\":1,\"model\":null,"
                        + "\"usage\":{\"prompt_tokens\":-1,\"completion_tokens\":0},\"choices\":[]}")) {
            assertThatThrownBy(() -> LmResponseCodec.decode(json.getBytes(StandardCharsets.UTF_8)))
                    .as(json)
                    .isInstanceOf(CacheFormatException.class);
        }
    }
}
