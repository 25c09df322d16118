package dev.dspy4j.opentelemetry;

import static dev.dspy4j.opentelemetry.Telemetry.attribute;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmStream;
import dev.dspy4j.lm.Message;
import dev.dspy4j.lm.StreamChunk;
import dev.dspy4j.provider.Lms;
import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.FakeLmServer;
import dev.dspy4j.testkit.server.Reply;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamSpansTest {

    private final Telemetry telemetry = new Telemetry();

    @AfterEach
    void closeSdk() {
        telemetry.close();
    }

    private static Lm client(FakeLmServer server) {
        return Lms.builder("openai/gpt-4o-mini")
                .environment(Map.of("OPENAI_BASE_URL", server.baseUrl().toString(), "OPENAI_API_KEY", "sk-stream-test"))
                .retry(false).cache(false).build();
    }

    @Test
    void aStreamReadToTheEndEndsItsChatSpanWithTheAssembledCompletion() {
        try (FakeLmServer server = FakeLmServer.start(Dialect.OPENAI)) {
            // given
            server.respondWith(request -> Reply.text("Paris is the capital of France."));
            DspyContext context = DspyContext.of(client(server))
                    .withListener(OpenTelemetryListener.builder(telemetry.sdk).captureContent(true).build());
            Lm lm = context.lmFor(context.lm(), "self");

            // when
            StringBuilder text = new StringBuilder();
            try (LmStream stream = lm.stream(LmRequest.of(List.of(Message.user("Capital of France?"))))) {
                for (StreamChunk chunk = stream.next(); chunk != null; chunk = stream.next()) {
                    text.append(chunk.text());
                }
            }

            // then
            assertThat(text.toString()).isEqualTo("Paris is the capital of France.");
            SpanData call = telemetry.span("chat gpt-4o-mini");
            assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
            assertThat(attribute(call, AttributeKey.stringKey("gen_ai.output.messages")))
                    .contains("Paris is the capital of France.");
            assertThat(attribute(call, AttributeKey.stringKey("gen_ai.input.messages"))).contains("Capital of France?");
            assertThat(telemetry.childrenOf(call)).singleElement()
                    .satisfies(attempt -> assertThat(attempt.getName()).isEqualTo("chat gpt-4o-mini attempt 1"));
        }
    }

    @Test
    void aStreamClosedEarlyFailsItsChatSpanAsCancelled() {
        try (FakeLmServer server = FakeLmServer.start(Dialect.OPENAI)) {
            // given
            server.respondWith(request -> Reply.text("Paris is the capital of France, and has been for a long time."));
            DspyContext context = DspyContext.of(client(server)).withListener(OpenTelemetryListener.create(telemetry.sdk));
            Lm lm = context.lmFor(context.lm(), "self");

            // when the reader stops after the first chunk
            try (LmStream stream = lm.stream(LmRequest.of(List.of(Message.user("Capital of France?"))))) {
                stream.next();
            }

            // then
            SpanData call = telemetry.span("chat gpt-4o-mini");
            assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(attribute(call, AttributeKey.stringKey("error.type"))).isEqualTo(CancellationException.class.getName());
        }
    }
}
