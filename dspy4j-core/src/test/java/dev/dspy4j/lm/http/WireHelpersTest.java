package dev.dspy4j.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireHelpersTest {

    static List<SseReader.Event> events(String text) throws IOException {
        SseReader reader = new SseReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Long.MAX_VALUE);
        List<SseReader.Event> out = new ArrayList<>();
        for (SseReader.Event e = reader.next(); e != null; e = reader.next()) {
            out.add(e);
        }
        return out;
    }

    @Test
    void sseReaderHandlesEventNamesMultiLineDataCommentsAndAllLineEndings() throws IOException {
        assertThat(events(": comment\r\nevent: ping\r\ndata: {}\r\n\r\ndata:a\ndata: b\n\nevent: x\rdata: é€\r\r"))
                .containsExactly(new SseReader.Event("ping", "{}"), new SseReader.Event(null, "a\nb"),
                        new SseReader.Event("x", "é€"));
    }

    @Test
    void sseReaderDispatchesAnUnterminatedLastEventAndIgnoresEventsWithoutData() throws IOException {
        assertThat(events("event: lonely\n\ndata: [DONE]")).containsExactly(new SseReader.Event(null, "[DONE]"));
        assertThat(events("")).isEmpty();
        String longLine = "x".repeat(50_000);
        assertThat(events("data: " + longLine + "\n\n")).containsExactly(new SseReader.Event(null, longLine));
    }

    @Test
    void retryAfterUnderstandsMillisecondsSecondsAndDates() {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        assertThat(RetryAfter.parse(headers(Map.of("retry-after-ms", List.of("250.5"))), now))
                .isEqualTo(Duration.ofNanos(250_500_000));
        assertThat(RetryAfter.parse(headers(Map.of("Retry-After", List.of("1.5"))), now)).isEqualTo(Duration.ofMillis(1500));
        assertThat(RetryAfter.parse(headers(Map.of("Retry-After", List.of("Wed, 01 Jan 2025 00:00:30 GMT"))), now))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse(headers(Map.of("Retry-After", List.of("Tue, 31 Dec 2024 23:00:00 GMT"))), now))
                .isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse(headers(Map.of("Retry-After", List.of("-3"))), now)).isNull();
        assertThat(RetryAfter.parse(headers(Map.of()), now)).isNull();
        assertThat(RetryAfter.describe(Duration.ofMillis(1500))).isEqualTo("1.5 s");
        assertThat(RetryAfter.describe(Duration.ofMillis(20))).isEqualTo("20 ms");
    }

    @Test
    void reasoningModelRuleMatchesDspy() {
        assertThat(List.of("o1", "o1-mini", "o3", "o3-mini-2025-01-31", "o4-mini", "gpt-5", "gpt-5-mini", "gpt-5-nano",
                "openai/o3", "GPT-5.1")).allMatch(ModelRules::isOpenAiReasoning);
        assertThat(List.of("gpt-5-chat-latest", "gpt-4o", "gpt-4.1-mini", "o2", "openchat", "llama3"))
                .noneMatch(ModelRules::isOpenAiReasoning);
    }

    @Test
    void excerptsAreOneLineAndBounded() {
        assertThat(ErrorMapper.excerpt("a\n  b\tc")).isEqualTo("a b c");
        assertThat(ErrorMapper.excerpt("y".repeat(1000))).hasSize(ErrorMapper.MAX_DETAIL + 3).endsWith("...");
    }

    static HttpHeaders headers(Map<String, List<String>> map) {
        return HttpHeaders.of(map, (a, b) -> true);
    }
}
