package dev.dspy4j.lm;

import static dev.dspy4j.lm.OpenAiLmTest.KEY;
import static dev.dspy4j.lm.StreamingTest.send;
import static dev.dspy4j.lm.StreamingTest.startSse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.adapter.JsonAdapter;
import dev.dspy4j.cache.LmResponseCodec;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.module.Predict;
import dev.dspy4j.provider.AnthropicLm;
import dev.dspy4j.provider.OpenAiLm;
import dev.dspy4j.signature.Citations;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Native reasoning and Anthropic citations over real loopback HTTP: what each client sends for a
 * {@code Reasoning} or {@code Citations} output, and how the provider's reply fills it.
 */
class ReasoningAndCitationsWireTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, Object> QUESTION = Map.of("question", "How long is the Nile?");
    private static final Citation NILE = new Citation("char_location", "The Nile is 6,650 km long.", 0, "Nile", 0, 26,
            null);

    /** A Messages API reply with a cited text block between two plain ones, as Anthropic splits them. */
    static final String CITED = """
            {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
             "content":[
              {"type":"text","text":"[[ ## answer ## ]]\\n"},
              {"type":"text","text":"It is about 6,650 km long.","citations":[
                {"type":"char_location","cited_text":"The Nile is 6,650 km long.","document_index":0,
                 "document_title":"Nile","start_char_index":0,"end_char_index":26}]},
              {"type":"text","text":"\\n\\n[[ ## completed ## ]]"}],
             "stop_reason":"end_turn","usage":{"input_tokens":120,"output_tokens":30}}""";

    @RegisterExtension
    static final LoopbackServer server = LoopbackServer.start();

    private static JsonNode body() {
        return JSON.readTree(server.last().body());
    }

    private static String systemPrompt() {
        return body().path("system").asString();
    }

    @Test
    void anthropicFillsACitationsOutputFromTheCitationsOfItsTextBlocks() {
        server.respond(200, CITED);

        Prediction prediction = Predict.of("question -> answer, citations: Citations").call(QUESTION,
                DspyContext.of(server.anthropic()).withAdapter(ChatAdapter.withoutFallback()));

        assertThat(prediction.getString("answer")).isEqualTo("It is about 6,650 km long.");
        assertThat(prediction.get("citations", Citations.class).citations()).containsExactly(NILE);
        assertThat(systemPrompt()).contains("Your output fields are:\n1. `answer` (str):\nAll interactions")
                .doesNotContain("[[ ## citations ## ]]");
    }

    @Test
    void anthropicMapsOtherLocationTypesIntoTheIndexFields() {
        server.respond(200, """
                {"id":"msg_02","type":"message","role":"assistant","model":"claude-sonnet-4-5",
                 "content":[{"type":"text","text":"See page 3.","citations":[
                   {"type":"page_location","cited_text":"Revenue grew.","document_index":1,
                    "document_title":"Report","start_page_number":3,"end_page_number":4}]}],
                 "stop_reason":"end_turn","usage":{"input_tokens":5,"output_tokens":3}}""");

        LmResponse response = server.anthropic().call(LmRequest.of(List.of(Message.user("hi"))));

        assertThat(response.choices().get(0).citations()).containsExactly(
                new Citation("page_location", "Revenue grew.", 1, "Report", 3, 4, null));
    }

    @Test
    void anthropicSendsALowThinkingBudgetAndFillsReasoningFromTheThinkingBlock() {
        server.respond(200, """
                {"id":"msg_03","type":"message","role":"assistant","model":"claude-sonnet-4-5",
                 "content":[{"type":"thinking","thinking":"Rivers are long.","signature":"sig"},
                  {"type":"text","text":"[[ ## answer ## ]]\\n6,650 km\\n\\n[[ ## completed ## ]]"}],
                 "stop_reason":"end_turn","usage":{"input_tokens":50,"output_tokens":20}}""");

        Prediction prediction = Predict.of("question -> reasoning: dspy.Reasoning, answer").call(QUESTION,
                DspyContext.of(server.anthropic()).withAdapter(ChatAdapter.withoutFallback()));

        assertThat(prediction.getString("reasoning")).isEqualTo("Rivers are long.");
        assertThat(prediction.getString("answer")).isEqualTo("6,650 km");
        JsonNode sent = body();
        assertThat(sent.path("thinking").path("budget_tokens").asInt()).isEqualTo(1024);
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(4096 + 1024);
        assertThat(sent.has("reasoning_effort")).isFalse();
        assertThat(systemPrompt()).doesNotContain("[[ ## reasoning ## ]]").contains("produce the fields `reasoning`, `answer`.");
    }

    @Test
    void anthropicStreamAssemblesCitationsDeltas() {
        server.handler((request, exchange) -> {
            OutputStream out = startSse(exchange);
            send(out, """
                    event: message_start
                    data: {"type":"message_start","message":{"model":"claude-sonnet-4-5","usage":{"input_tokens":9,"output_tokens":1}}}

                    event: content_block_start
                    data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":"","citations":[]}}

                    event: content_block_delta
                    data: {"type":"content_block_delta","index":0,"delta":{"type":"citations_delta","citation":{"type":"char_location","cited_text":"The Nile is 6,650 km long.","document_index":0,"document_title":"Nile","start_char_index":0,"end_char_index":26}}}

                    event: content_block_delta
                    data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"6,650 km"}}

                    event: message_delta
                    data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":4}}

                    event: message_stop
                    data: {"type":"message_stop"}

                    """);
            out.close();
        });

        try (LmStream stream = server.anthropic().stream(LmRequest.of(List.of(Message.user("hi"))))) {
            StreamingTest.drain(stream);
            Choice choice = stream.response().choices().get(0);
            assertThat(choice.text()).isEqualTo("6,650 km");
            assertThat(choice.citations()).containsExactly(NILE);
        }
    }

    @Test
    void openAiReasoningModelGetsLowEffortAndItsReasoningContentFillsTheField() {
        server.respond(200, """
                {"id":"c1","model":"o4-mini","choices":[{"index":0,"finish_reason":"stop","message":{
                  "role":"assistant","content":"{\\"answer\\": \\"6,650 km\\"}","reasoning_content":"Recall."}}],
                 "usage":{"prompt_tokens":10,"completion_tokens":5}}""");
        OpenAiLm lm = server.openAi("openai/o4-mini");

        Prediction prediction = Predict.of("question -> reasoning: dspy.Reasoning, answer").call(QUESTION,
                DspyContext.of(lm).withAdapter(JsonAdapter.DEFAULT));

        assertThat(prediction.getString("reasoning")).isEqualTo("Recall.");
        assertThat(body().path("reasoning_effort").asString()).isEqualTo("low");
        assertThat(body().path("messages").get(0).path("content").asString()).doesNotContain("[[ ## reasoning ## ]]")
                .doesNotContain("1. `reasoning`");
    }

    @Test
    void aReasoningModelTheTableDoesNotKnowIsDeclaredWithTheBuildersCapabilities() {
        server.respond(200, """
                {"id":"c2","model":"qwen3","choices":[{"index":0,"finish_reason":"stop","message":{
                  "role":"assistant","content":"[[ ## answer ## ]]\\nLong.\\n\\n[[ ## completed ## ]]",
                  "reasoning":"vLLM names it reasoning."}}],"usage":{"prompt_tokens":1,"completion_tokens":1}}""");
        OpenAiLm plain = server.openAi("openai/qwen3");
        OpenAiLm declared = OpenAiLm.builder().model("openai/qwen3").apiKey(KEY).baseUrl(server.v1())
                .capabilities(plain.capabilities().withReasoning(true)).build();

        Prediction prediction = Predict.of("question -> reasoning: dspy.Reasoning, answer").call(QUESTION,
                DspyContext.of(declared).withAdapter(ChatAdapter.withoutFallback()));

        assertThat(plain.capabilities().reasoning()).isFalse();
        assertThat(prediction.getString("reasoning")).isEqualTo("vLLM names it reasoning.");
        assertThat(body().path("reasoning_effort").asString()).isEqualTo("low");
    }

    @Test
    void anLmsDefaultReasoningEffortIsKeptAndItsNoneTurnsNativeReasoningOff() {
        server.respond(200, """
                {"id":"c3","model":"o4-mini","choices":[{"index":0,"finish_reason":"stop","message":{
                  "role":"assistant","content":"[[ ## reasoning ## ]]\\nText.\\n\\n[[ ## answer ## ]]\\nLong.\\n\\n[[ ## completed ## ]]"}}],
                 "usage":{"prompt_tokens":1,"completion_tokens":1}}""");
        Predict predict = Predict.of("question -> reasoning: dspy.Reasoning, answer");
        OpenAiLm high = OpenAiLm.builder().model("openai/o4-mini").apiKey(KEY).baseUrl(server.v1())
                .options(LmOptions.NONE.withExtra("reasoning_effort", "high")).build();
        OpenAiLm none = OpenAiLm.builder().model("openai/o4-mini").apiKey(KEY).baseUrl(server.v1())
                .options(LmOptions.NONE.withExtraNone("reasoning_effort")).build();

        predict.call(QUESTION, DspyContext.of(high).withAdapter(ChatAdapter.withoutFallback()));
        assertThat(body().path("reasoning_effort").asString()).isEqualTo("high");

        Prediction off = predict.call(QUESTION, DspyContext.of(none).withAdapter(ChatAdapter.withoutFallback()));
        assertThat(body().has("reasoning_effort")).isFalse();
        assertThat(off.getString("reasoning")).isEqualTo("Text.");
        assertThat(body().path("messages").get(0).path("content").asString()).contains("1. `reasoning` (str):");
    }

    @Test
    void aCachedResponseKeepsItsReasoningAndCitations() {
        LmResponse response = new LmResponse(List.of(new Choice("text", List.of(), "thought", "stop", List.of(NILE))),
                new Usage(3, 4), "claude", false);

        byte[] bytes = LmResponseCodec.encode(response);

        assertThat(LmResponseCodec.decode(bytes)).isEqualTo(response);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"version\":2");
        assertThat(new String(LmResponseCodec.encode(LmResponse.of("plain")), StandardCharsets.UTF_8))
                .contains("\"version\":1");
    }

    @Test
    void anthropicLmHasNativeCitations() {
        AnthropicLm lm = server.anthropic();
        assertThat(lm.capabilities().citations()).isTrue();
        assertThat(server.openAi().capabilities().citations()).isFalse();
        assertThat(server.openAi("openai/gpt-5").capabilities().reasoning()).isFalse();
    }
}
