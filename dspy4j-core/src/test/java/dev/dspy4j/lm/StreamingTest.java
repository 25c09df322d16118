package dev.dspy4j.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class StreamingTest {

    @RegisterExtension
    static final LoopbackServer server = LoopbackServer.start();
    static final LmRequest REQUEST = LmRequest.of(List.of(Message.user("hi")));

    static OutputStream startSse(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().add("x-request-id", "req_stream");
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    static void send(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static List<StreamChunk> drain(LmStream stream) {
        List<StreamChunk> chunks = new ArrayList<>();
        for (StreamChunk chunk = stream.next(); chunk != null; chunk = stream.next()) {
            chunks.add(chunk);
        }
        return chunks;
    }

    @Test
    void openAiStreamYieldsDeltasAsTheyArriveThenTheAssembledResponseWithUsage() throws Exception {
        CountDownLatch firstChunkSeen = new CountDownLatch(1);
        server.handler((request, exchange) -> {
            OutputStream out = startSse(exchange);
            send(out, ": keep-alive comment\n\ndata: {\"model\":\"gpt-4o-mini-1\",\"choices\":[{\"index\":0,"
                    + "\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"
                    + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n");
            firstChunkSeen.await(5, TimeUnit.SECONDS); // the rest only after the client has seen the first
            send(out, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\r\n\r\n"
                    + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2}}\n\n"
                    + "data: [DONE]\n\n");
            out.close();
        });

        try (LmStream stream = server.openAi().stream(REQUEST)) {
            StreamChunk first = stream.next();
            assertThat(first).isEqualTo(new StreamChunk(0, "Hel", ""));
            assertThatThrownBy(stream::response).isInstanceOf(IllegalStateException.class);
            firstChunkSeen.countDown();
            assertThat(drain(stream)).containsExactly(new StreamChunk(0, "lo", ""));
            LmResponse response = stream.response();
            assertThat(response.text()).isEqualTo("Hello");
            assertThat(response.choices().get(0).finishReason()).isEqualTo("stop");
            assertThat(response.usage()).isEqualTo(new Usage(9, 2));
            assertThat(response.model()).isEqualTo("gpt-4o-mini-1");
            assertThat(stream.next()).isNull();
        }
        OpenAiLmTest.assertJson(server.last().body(), """
                {"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],
                 "stream":true,"stream_options":{"include_usage":true}}""");
    }

    @Test
    void openAiStreamAssemblesReasoningToolCallsAndSeveralChoices() {
        server.handler((request, exchange) -> {
            OutputStream out = startSse(exchange);
            send(out, """
                    data: {"choices":[{"index":0,"delta":{"reasoning_content":"hmm"}},{"index":1,"delta":{"content":"B"}}]}

                    data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"search","arguments":""}}]}}]}

                    data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"q\\":"}}]}}]}

                    data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\\"x\\"}"}}]},"finish_reason":"tool_calls"},{"index":1,"delta":{},"finish_reason":"stop"}]}

                    data: [DONE]

                    """);
            out.close();
        });

        try (LmStream stream = server.openAi().stream(REQUEST.withOptions(LmOptions.NONE.withN(2)))) {
            assertThat(drain(stream)).containsExactly(new StreamChunk(0, "", "hmm"), new StreamChunk(1, "B", ""));
            LmResponse response = stream.response();
            assertThat(response.choices()).hasSize(2);
            assertThat(response.choices().get(0).reasoningContent()).isEqualTo("hmm");
            assertThat(response.choices().get(0).toolCalls()).containsExactly(ToolCall.parse("call_1", "search", "{\"q\":\"x\"}"));
            assertThat(response.choices().get(0).finishReason()).isEqualTo("tool_calls");
            assertThat(response.choices().get(1).text()).isEqualTo("B");
            assertThat(response.usage()).isEqualTo(Usage.ZERO);
        }
    }

    @Test
    void aStreamEndingWithoutDoneFailsAsTruncated() {
        server.handler((request, exchange) -> {
            OutputStream out = startSse(exchange);
            send(out, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n");
            out.close();
        });

        try (LmStream stream = server.openAi().stream(REQUEST)) {
            assertThat(stream.next().text()).isEqualTo("Hel");
            LmException e = catchThrowableOfType(LmException.class, stream::next);
            assertThat(e).isInstanceOf(LmException.Transport.class).hasMessageContaining("truncated")
                    .hasMessageContaining("[DONE]").hasMessageContaining("req_stream");
            assertThat(e.isRetryable()).isTrue();
            assertThatThrownBy(stream::next).isSameAs(e);
            assertThatThrownBy(stream::response).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void closingAStreamEarlyClosesTheServerSideConnection() throws Exception {
        CountDownLatch serverSawClose = new CountDownLatch(1);
        server.handler((request, exchange) -> {
            OutputStream out = startSse(exchange);
            try {
                for (int i = 0; i < 2000; i++) {
                    send(out, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok" + i + " \"}}]}\n\n");
                    Thread.sleep(5);
                }
            } catch (IOException e) {
                serverSawClose.countDown();
            }
        });

        LmStream stream = server.openAi().stream(REQUEST);
        assertThat(stream.next().text()).isEqualTo("tok0 ");
        stream.close();
        stream.close(); // idempotent

        assertThat(serverSawClose.await(5, TimeUnit.SECONDS)).as("server noticed the closed connection").isTrue();
        assertThatThrownBy(stream::next).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void errorsBeforeAndDuringTheStreamAreMapped() {
        server.respond(429, "{\"error\":{\"message\":\"slow down\",\"type\":\"requests\"}}", "Retry-After", "2");
        assertThatThrownBy(() -> server.openAi().stream(REQUEST)).isInstanceOf(LmException.RateLimited.class)
                .hasMessageContaining("slow down");

        server.handler((request, exchange) -> {
            OutputStream out = startSse(exchange);
            send(out, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n"
                    + "data: {\"error\":{\"message\":\"upstream failed\",\"type\":\"server_error\"}}\n\n");
            out.close();
        });
        try (LmStream stream = server.openAi().stream(REQUEST)) {
            stream.next();
            assertThatThrownBy(stream::next).isInstanceOf(LmException.ServerError.class)
                    .hasMessageContaining("upstream failed");
        }

        server.handler((request, exchange) -> {
            OutputStream out = startSse(exchange);
            send(out, "data: {\"choices\": nonsense}\n\n");
            out.close();
        });
        try (LmStream stream = server.openAi().stream(REQUEST)) {
            assertThatThrownBy(stream::next).isInstanceOf(LmException.Configuration.class)
                    .hasMessageContaining("not valid JSON").hasMessageContaining("nonsense");
        }

        server.handler((request, exchange) -> {
            OutputStream out = startSse(exchange);
            send(out, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]");
            out.close();
        });
        try (LmStream stream = server.openAi().stream(REQUEST)) {
            assertThatThrownBy(stream::next).isInstanceOf(LmException.Transport.class)
                    .hasMessageContaining("cut off");
        }
    }

    static final String ANTHROPIC_EVENTS = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1","model":"claude-sonnet-4-5-x","content":[],"usage":{"input_tokens":25,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Check."}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"sig"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: ping
            data: {"type":"ping"}

            event: content_block_start
            data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Rome"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":" it is."}}

            event: content_block_start
            data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_1","name":"search","input":{}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\\"q\\": "}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"\\"Rome\\"}"}}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":31}}

            """;

    @Test
    void anthropicStreamYieldsTextAndThinkingAndAssemblesToolUseAndUsage() {
        server.handler((request, exchange) -> {
            OutputStream out = startSse(exchange);
            send(out, ANTHROPIC_EVENTS + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
            out.close();
        });

        try (LmStream stream = server.anthropic().stream(REQUEST)) {
            assertThat(drain(stream)).containsExactly(new StreamChunk(0, "", "Check."), new StreamChunk(0, "Rome", ""),
                    new StreamChunk(0, " it is.", ""));
            LmResponse response = stream.response();
            Choice choice = response.choices().get(0);
            assertThat(choice.text()).isEqualTo("Rome it is.");
            assertThat(choice.reasoningContent()).isEqualTo("Check.");
            assertThat(choice.toolCalls()).containsExactly(ToolCall.parse("toolu_1", "search", "{\"q\": \"Rome\"}"));
            assertThat(choice.finishReason()).isEqualTo("tool_calls");
            assertThat(response.usage()).isEqualTo(new Usage(25, 31));
            assertThat(response.model()).isEqualTo("claude-sonnet-4-5-x");
        }
        assertThat(server.last().body()).contains("\"stream\":true");
    }

    @Test
    void anthropicStreamWithoutMessageStopOrWithAnErrorEventFails() {
        server.handler((request, exchange) -> {
            OutputStream out = startSse(exchange);
            send(out, ANTHROPIC_EVENTS);
            out.close();
        });
        try (LmStream stream = server.anthropic().stream(REQUEST)) {
            LmException e = catchThrowableOfType(LmException.class, () -> drain(stream));
            assertThat(e).isInstanceOf(LmException.Transport.class).hasMessageContaining("message_stop");
        }

        server.handler((request, exchange) -> {
            OutputStream out = startSse(exchange);
            send(out, "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                    + "\"message\":\"Overloaded\"}}\n\n");
            out.close();
        });
        try (LmStream stream = server.anthropic().stream(REQUEST)) {
            assertThatThrownBy(stream::next).isInstanceOf(LmException.ServerError.class)
                    .hasMessageContaining("Overloaded");
        }

        assertThatThrownBy(() -> server.anthropic().stream(REQUEST.withOptions(LmOptions.NONE.withN(2))))
                .isInstanceOf(LmException.Configuration.class).hasMessageContaining("n = 2");
    }
}
