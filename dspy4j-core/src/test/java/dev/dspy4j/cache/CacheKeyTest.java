package dev.dspy4j.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dspy4j.lm.ContentPart;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.Message;
import dev.dspy4j.lm.ResponseFormat;
import dev.dspy4j.lm.ToolCall;
import dev.dspy4j.lm.ToolChoice;
import dev.dspy4j.lm.ToolSpec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class CacheKeyTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static final String MODEL = "openai/gpt-4o-mini";
    private static final LmRequest BASE = new LmRequest(
            List.of(Message.system("You are terse."), Message.user("What is the capital of France?")),
            LmOptions.NONE.withTemperature(0.7).withMaxTokens(256));

    @Test
    void keyOfAFixedRequestIsPinned() {
        // given a request with messages, typed options, an extra and a rollout id
        LmRequest request = BASE.withOptions(BASE.options()
                .withN(2)
                .withStop(List.of("\n\n"))
                .withSeed(42L)
                .withExtra("top_p", 0.5)
                .withRolloutId(3)).withResponseFormat(ResponseFormat.JSON_OBJECT).withToolChoice(ToolChoice.REQUIRED);

        // then the canonical text and its hash are fixed, on every JVM and every run (Python's
        // sha256(json.dumps(params, sort_keys=True, separators=(",", ":"), ensure_ascii=False))
        // gives the same hex for the same params)
        assertThat(CacheKey.canonicalJson(MODEL, request)).isEqualTo(
                "{\"_dspy4j_key\":1,\"max_tokens\":256,\"messages\":[{\"content\":\"You are terse.\",\"role\":\"system\"},{\"content\":\"What is the capital of France?\",\"role\":\"user\"}],\"model\":\"openai/gpt-4o-mini\",\"n\":2,\"response_format\":\"json_object\",\"rollout_id\":3,\"seed\":42,\"stop\":[\"\\n\\n\"],\"temperature\":0.7,\"tool_choice\":\"required\",\"top_p\":0.5}");
        assertThat(CacheKey.of(MODEL, request))
                .isEqualTo("f27245a8bb258539b516e071c81ee1d54264dc9b9dc363e6a00e30afcf459cb4");
    }

    @Test
    void keyIsSixtyFourLowerCaseHexDigitsAndRepeatable() {
        assertThat(CacheKey.of(MODEL, BASE)).matches("[0-9a-f]{64}").isEqualTo(CacheKey.of(MODEL, BASE));
    }

    @Test
    void keyChangesWithModel() {
        assertThat(CacheKey.of("openai/gpt-4o", BASE)).isNotEqualTo(CacheKey.of(MODEL, BASE));
    }

    @Test
    void keyChangesWithMessageContentRoleAndOrder() {
        String key = CacheKey.of(MODEL, BASE);
        assertThat(CacheKey.of(MODEL, new LmRequest(
                List.of(Message.system("You are terse."), Message.user("What is the capital of Spain?")), BASE.options())))
                .isNotEqualTo(key);
        assertThat(CacheKey.of(MODEL, new LmRequest(
                List.of(Message.user("You are terse."), Message.user("What is the capital of France?")), BASE.options())))
                .isNotEqualTo(key);
        assertThat(CacheKey.of(MODEL, new LmRequest(
                List.of(Message.user("What is the capital of France?"), Message.system("You are terse.")), BASE.options())))
                .isNotEqualTo(key);
        assertThat(CacheKey.of(MODEL, new LmRequest(List.of(Message.user("What is the capital of France?")), BASE.options())))
                .isNotEqualTo(key);
    }

    @Test
    void keyChangesWithEverySentOption() {
        List<UnaryOperator<LmOptions>> changes = List.of(
                o -> o.withTemperature(0.0),
                o -> o.withTemperature(null),
                o -> o.withMaxTokens(257),
                o -> o.withN(3),
                o -> o.withStop(List.of("END")),
                o -> o.withSeed(7L),
                o -> o.withExtra("top_k", 5),
                o -> o.withExtra("reasoning_effort", "low"),
                o -> o.withRolloutId(1));
        String key = CacheKey.of(MODEL, BASE);
        List<String> keys = new ArrayList<>();
        for (UnaryOperator<LmOptions> change : changes) {
            keys.add(CacheKey.of(MODEL, BASE.withOptions(change.apply(BASE.options()))));
        }
        assertThat(keys).doesNotContain(key).doesNotHaveDuplicates();
    }

    @Test
    void keyChangesWithToolsToolChoiceResponseFormatAndMedia() {
        ToolSpec search = new ToolSpec("search", "Searches the web.", Map.of("type", "object"));
        List<LmRequest> variants = List.of(
                BASE.withTools(List.of(search)),
                BASE.withTools(List.of(new ToolSpec("search", "Searches the web.", Map.of("type", "string")))),
                BASE.withToolChoice(ToolChoice.REQUIRED),
                BASE.withToolChoice(ToolChoice.named("search")),
                BASE.withResponseFormat(ResponseFormat.JSON_OBJECT),
                BASE.withResponseFormat(new ResponseFormat.JsonSchema("out", Map.of("type", "object"), true)),
                BASE.withMessages(List.of(Message.user(List.of(ContentPart.text("What is this?"),
                        new ContentPart.Image("https://example.com/a.png"))))),
                BASE.withMessages(List.of(Message.user(List.of(ContentPart.text("What is this?"),
                        new ContentPart.Image("https://example.com/b.png"))))),
                BASE.withMessages(List.of(Message.user(List.of(ContentPart.text("What is this?"),
                        ContentPart.Image.ofBytes(new byte[] {1, 2, 3}, "image/png"))))),
                BASE.withMessages(List.of(Message.user("q"), Message.assistant("", List.of(
                        ToolCall.of("call_1", "search", Map.of("q", "x")))), Message.toolResult("call_1", "found"))),
                BASE.withMessages(List.of(Message.user("q"), Message.assistant("", List.of(
                        ToolCall.of("call_1", "search", Map.of("q", "y")))), Message.toolResult("call_1", "found"))));
        List<String> keys = new ArrayList<>();
        for (LmRequest variant : variants) {
            keys.add(CacheKey.of(MODEL, variant));
        }
        assertThat(keys).doesNotContain(CacheKey.of(MODEL, BASE)).doesNotHaveDuplicates();
    }

    @Test
    void differentRolloutIdsGiveDifferentKeys() {
        assertThat(CacheKey.of(MODEL, BASE.withOptions(BASE.options().withRolloutId(1))))
                .isNotEqualTo(CacheKey.of(MODEL, BASE.withOptions(BASE.options().withRolloutId(2))));
    }

    @Test
    void cacheFlagIsNotPartOfTheKey() {
        String key = CacheKey.of(MODEL, BASE);
        assertThat(CacheKey.of(MODEL, BASE.withOptions(BASE.options().withCache(true)))).isEqualTo(key);
        assertThat(CacheKey.of(MODEL, BASE.withOptions(BASE.options().withCache(false)))).isEqualTo(key);
    }

    @Test
    void mapInsertionOrderDoesNotMatter() {
        Map<String, Object> ab = new LinkedHashMap<>();
        ab.put("type", "json_schema");
        ab.put("json_schema", Map.of("name", "answer", "strict", true));
        Map<String, Object> ba = new LinkedHashMap<>();
        ba.put("json_schema", Map.of("strict", true, "name", "answer"));
        ba.put("type", "json_schema");

        LmRequest first = BASE.withOptions(BASE.options().withExtra("x", 1).withExtra("y", 2))
                .withResponseFormat(new ResponseFormat.JsonSchema("answer", ab, true));
        LmRequest second = BASE.withOptions(BASE.options().withExtra("y", 2).withExtra("x", 1))
                .withResponseFormat(new ResponseFormat.JsonSchema("answer", ba, true));

        assertThat(CacheKey.of(MODEL, first)).isEqualTo(CacheKey.of(MODEL, second));
    }

    @Test
    void credentialAndEndpointExtrasAreLeftOutAsInDspy() {
        LmRequest withSecrets = BASE.withOptions(BASE.options()
                .withExtra("api_key", "sk-canary-123")
                .withExtra("api_base", "http://10.0.0.1:8000")
                .withExtra("base_url", "http://10.0.0.2:8000"));

        assertThat(CacheKey.of(MODEL, withSecrets)).isEqualTo(CacheKey.of(MODEL, BASE));
        assertThat(CacheKey.canonicalJson(MODEL, withSecrets)).doesNotContain("sk-canary", "10.0.0.");
    }

    @Test
    void clientCredentialsAndHeadersCannotReachTheKey() {
        // given two clients of one model that differ only in credentials and transport settings
        List<String> seenKeys = new ArrayList<>();
        LmCache recording = new LmCache() {
            @Override
            public Optional<LmResponse> get(String key) {
                seenKeys.add(key);
                return Optional.empty();
            }

            @Override
            public void put(String key, LmResponse response) {
            }
        };
        Lm alice = new FakeClient(MODEL, "sk-alice-secret", Map.of("Authorization", "Bearer sk-alice-secret"));
        Lm bob = new FakeClient(MODEL, "sk-bob-secret", Map.of("X-Org", "bob"));

        // when both send the same request through a cache
        alice.withInterceptors(new CacheInterceptor(recording)).call(BASE);
        bob.withInterceptors(new CacheInterceptor(recording)).call(BASE);

        // then they look up the same key, which is the key of model + request alone
        assertThat(seenKeys).containsExactly(CacheKey.of(MODEL, BASE), CacheKey.of(MODEL, BASE));
        assertThat(CacheKey.canonicalJson(MODEL, BASE)).doesNotContain("secret", "Authorization", "X-Org");
    }

    @Test
    void canonicalJsonIsByteForByteWhatTheDatabindMapperWrote() {
        // given requests with every kind of value an earlier release hashed through a databind mapper
        List<Object> nulls = new ArrayList<>(Arrays.asList("a", null, true, false));
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("z", List.of(Map.of("b", 1, "a", List.of(1L, 2.5f))));
        nested.put("none", null);
        nested.put("unicode", "é 中文 😀 \u2028 \u0000\u0001\u001f \t\r\n \"\\/ <script>&'");
        List<LmRequest> requests = List.of(BASE,
                BASE.withOptions(BASE.options().withN(3).withStop(List.of("\n\n", "###")).withSeed(Long.MAX_VALUE)
                        .withRolloutId(7).withTemperature(0.1)),
                BASE.withOptions(BASE.options()
                        .withExtra("doubles", List.of(0.1, 1e20, 1e21, 1e-7, -0.0, 0.0, 100.0, Double.MAX_VALUE,
                                Double.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY))
                        .withExtra("ints", List.of(Integer.MIN_VALUE, Long.MIN_VALUE, new BigInteger("123456789012345678901234567890")))
                        .withExtra("odd", List.of(new BigDecimal("1.50"), (short) 3, 0.1f, TimeUnit.SECONDS, new Point(1, 2)))
                        .withExtra("nulls", nulls)
                        .withExtra("nested", nested)),
                new LmRequest(List.of(Message.system("Sé terse.\u0007"), Message.user(List.of(ContentPart.text("What? 😀"),
                        ContentPart.Image.ofBytes(new byte[] {1, 2, 3}, "image/png"))),
                        Message.assistant("", List.of(ToolCall.of("call_1", "search", Map.of("q", "x", "n", 0.5)))),
                        Message.toolResult("call_1", "found \"it\"")), LmOptions.NONE)
                        .withTools(List.of(new ToolSpec("search", "Searches.", Map.of("type", "object", "properties",
                                Map.of("q", Map.of("type", "string")), "required", List.of("q")))))
                        .withToolChoice(ToolChoice.named("search"))
                        .withResponseFormat(new ResponseFormat.JsonSchema("out", Map.of("type", "object"), true)));
        for (LmRequest request : requests) {
            // when hashed with and without the mapper
            String expected = MAPPER.writeValueAsString(sorted(MAPPER.valueToTree(CacheKey.params(MODEL, request))));

            // then the hashed text, and so the key, is the same
            assertThat(CacheKey.canonicalJson(MODEL, request)).isEqualTo(expected);
        }
    }

    private record Point(int x, int y) {
    }

    private static JsonNode sorted(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode out = MAPPER.createObjectNode();
            object.propertyNames().stream().sorted().forEach(name -> out.set(name, sorted(object.get(name))));
            return out;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode out = MAPPER.createArrayNode();
            array.values().forEach(element -> out.add(sorted(element)));
            return out;
        }
        return node;
    }

    /** Stands in for an HTTP client: credentials and headers live in the client, not the request. */
    private record FakeClient(String model, String apiKey, Map<String, String> headers) implements Lm {
        @Override
        public LmResponse call(LmRequest request) {
            return LmResponse.of("Paris");
        }
    }

    @Test
    void everyPartOfAudioFilesAndDocumentsIsHashedIntoTheKey() {
        List<ContentPart> variants = List.of(
                new ContentPart.Audio("UklGRg==", "wav"), new ContentPart.Audio("UklGRg==", "mp3"),
                new ContentPart.Audio("UklGRh==", "wav"),
                ContentPart.File.ofBytes(new byte[] {1}, "application/pdf", "a.pdf"),
                ContentPart.File.ofBytes(new byte[] {1}, "application/pdf", "b.pdf"),
                ContentPart.File.ofId("file-1", null), ContentPart.File.ofId("file-2", null),
                new ContentPart.Document("Text.", "text/plain", null, null),
                new ContentPart.Document("Text!", "text/plain", null, null),
                new ContentPart.Document("Text.", "text/plain", "Title", null),
                new ContentPart.Document("Text.", "text/plain", null, "context"),
                new ContentPart.Document("Text.", "application/pdf", null, null));
        List<String> keys = new ArrayList<>();
        for (ContentPart part : variants) {
            keys.add(CacheKey.of(MODEL, BASE.withMessages(List.of(Message.user(List.of(ContentPart.text("q"), part))))));
        }
        assertThat(keys).doesNotContain(CacheKey.of(MODEL, BASE)).doesNotHaveDuplicates();
    }
}
