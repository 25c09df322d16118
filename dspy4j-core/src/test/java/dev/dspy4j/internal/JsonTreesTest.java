package dev.dspy4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@link JsonTrees} against a default databind mapper, which it replaces on the LM call path. */
class JsonTreesTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** The test sources whose string literals are provider replies, stream events and request bodies. */
    private static final List<String> REPLY_SOURCES = List.of(
            "lm/OpenAiLmTest.java", "lm/AnthropicLmTest.java", "lm/StreamingTest.java", "lm/HttpErrorsTest.java",
            "lm/HttpLimitsTest.java", "lm/OpenAiEmbedderTest.java", "lm/ToolAndMediaWireTest.java",
            "lm/UsageOverflowTest.java", "lm/RetryTest.java", "lm/http/WireHelpersTest.java",
            "cache/LmResponseCodecTest.java", "cache/CacheKeyTest.java");

    private static final Pattern TEXT_BLOCK = Pattern.compile("\"\"\"[ \\t]*\\n(.*?)\"\"\"", Pattern.DOTALL);
    private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    private static List<Object> values() {
        List<Object> nulls = new ArrayList<>(Arrays.asList(null, 1, null));
        Map<String, Object> withNull = new LinkedHashMap<>();
        withNull.put("gone", null);
        return List.of(
                map("model", "openai/gpt-4o-mini", "temperature", 0.7, "max_tokens", 256, "n", 2,
                        "stop", List.of("\n\n", "###"), "seed", 42L, "_dspy4j_key", 1),
                map("messages", List.of(map("role", "user", "content", "Capital of France? é 中文 😀 \u2028"),
                        map("role", "assistant", "content", List.of(map("type", "text", "text", "a\tb\u0000\u001f\"\\/<>&'")))),
                        "tool_choice", map("name", "search")),
                map("doubles", List.of(0.1, 1e20, 1e-7, -0.0, 0.0, 1.0, 123456789.125, Double.MAX_VALUE,
                        Double.MIN_VALUE, 1e300, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)),
                map("floats", List.of(0.1f, 1e20f, -0.0f, 3.4028235e38f), "shorts", List.of((short) 7)),
                map("ints", List.of(0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE,
                        new BigInteger("123456789012345678901234567890"), BigInteger.ONE)),
                map("booleans", List.of(true, false), "nulls", nulls, "withNull", withNull),
                map("nested", map("a", map("b", map("c", List.of(List.of(), map(), List.of(map("d", "e"))))))),
                map("others", List.of(new BigDecimal("1.50"), new BigDecimal("1E+3"), TimeUnit.SECONDS, 'c',
                        Duration.ofSeconds(3), new int[] {1, 2}, new byte[] {1, 2, 3}, new LinkedHashSet<>(List.of("s")),
                        Map.of(1, "intKey"), new StringBuilder("sb"))),
                map("tree", MAPPER.readTree("{\"x\":[1,2.5,\"y\",null,{\"z\":true}]}")),
                List.of("top", 1, 2.5),
                "just a string",
                3.25,
                new BigInteger("-99999999999999999999"));
    }

    @Test
    void writesTreesOfPlainValuesByteForByteAsTheMapperDoes() {
        for (Object value : values()) {
            // given a value and the mapper's tree of it
            JsonNode expected = MAPPER.valueToTree(value);

            // when it is turned into a tree and written without the mapper
            JsonNode tree = JsonTrees.toTree(value);

            // then the trees have the same shape and node classes (POJONodes of byte arrays are never
            // equal, not even the mapper's own two trees of one value), and the bytes and text are identical
            assertThat(classes(tree)).as("tree of %s", expected).isEqualTo(classes(expected));
            assertThat(JsonTrees.write(tree)).as("bytes of %s", expected).isEqualTo(MAPPER.writeValueAsBytes(expected));
            assertThat(JsonTrees.writeString(tree)).isEqualTo(MAPPER.writeValueAsString(expected));
            assertThat(JsonTrees.write(expected)).isEqualTo(MAPPER.writeValueAsBytes(expected));
        }
    }

    @Test
    void writesPojoValuesOfObjectNodesAsTheMapperDoes() {
        for (Object value : values()) {
            // given an object node holding a Java value (as putPOJO does for stop lists and extras)
            ObjectNode root = JsonTrees.object();
            root.put("model", "m");
            root.putPOJO("value", value);

            // then it is written as the mapper writes it
            assertThat(JsonTrees.write(root)).as("%s", value).isEqualTo(MAPPER.writeValueAsBytes(root));
        }
    }

    @Test
    void readsRepliesUsedByTheProviderTestsIntoTheTreesOfReadTree() throws IOException {
        // given every string literal of the provider and cache tests, and the data lines of SSE bodies
        List<String> corpus = corpus();
        assertThat(corpus).hasSizeGreaterThan(200);
        int json = 0;
        for (String text : corpus) {
            JsonNode expected;
            try {
                expected = MAPPER.readTree(text);
            } catch (JacksonException e) {
                // then what the mapper rejects is rejected with the same message
                assertThatThrownBy(() -> JsonTrees.read(text)).as(text).isInstanceOf(JacksonException.class)
                        .extracting(t -> ((JacksonException) t).getOriginalMessage()).isEqualTo(e.getOriginalMessage());
                assertThatThrownBy(() -> JsonTrees.read(text.getBytes(StandardCharsets.UTF_8)))
                        .isInstanceOf(JacksonException.class);
                continue;
            }
            json += expected.isContainer() ? 1 : 0;
            // then the rest reads to equal trees, of the same node classes, which write back identically
            JsonNode actual = JsonTrees.read(text.getBytes(StandardCharsets.UTF_8));
            assertThat(actual).as(text).isEqualTo(expected);
            assertThat(JsonTrees.read(text)).as(text).isEqualTo(expected);
            assertThat(classes(actual)).as(text).isEqualTo(classes(expected));
            assertThat(JsonTrees.write(actual)).as(text).isEqualTo(MAPPER.writeValueAsBytes(expected));
            if (expected.isObject()) {
                assertThat(JsonTrees.toJavaMap((ObjectNode) actual)).as(text)
                        .isEqualTo(MAPPER.convertValue(expected, LinkedHashMap.class));
            }
            if (!expected.isMissingNode()) {
                assertThat(JsonTrees.readJava(text)).as(text).isEqualTo(MAPPER.readValue(text, Object.class));
            }
        }
        assertThat(json).isGreaterThan(50);
    }

    @Test
    void readsEdgeCasesAsReadTreeDoes() {
        List<String> cases = List.of("", "  ", "null", "{}", "{} ", "[]", "1.5", "1e400", "-0.0", "1.50", "0.1E1",
                "12345678901", "123456789012345678901234567890", "-9223372036854775809", "2147483648",
                "{\"a\":1,\"a\":2}", "{\"a\":{\"b\":1},\"a\":[2]}", "\"\\u00e9\\ud83d\\ude00\\n\"", "true", "false",
                "{}{}", "\"x\" \"y\"", "[1] ]", "{} x", "[1,", "{\"a\":", "NaN", "{'a':1}", "[1,]", "{\"a\" 1}",
                "\"unterminated", "01", "\u00ef\u00bb\u00bf{}");
        for (String text : cases) {
            JsonNode expected;
            try {
                expected = MAPPER.readTree(text);
            } catch (JacksonException e) {
                assertThatThrownBy(() -> JsonTrees.read(text)).as(text).isInstanceOf(JacksonException.class)
                        .extracting(t -> ((JacksonException) t).getOriginalMessage()).isEqualTo(e.getOriginalMessage());
                continue;
            }
            assertThat(JsonTrees.read(text)).as(text).isEqualTo(expected);
            assertThat(classes(JsonTrees.read(text))).as(text).isEqualTo(classes(expected));
        }
    }

    @Test
    void readJavaRejectsEmptyInputAsReadValueDoes() {
        assertThatThrownBy(() -> JsonTrees.readJava(" ")).isInstanceOf(JacksonException.class)
                .hasMessageContaining("No content to map due to end-of-input");
    }

    @Test
    void deeplyNestedInputFailsWithAJacksonErrorNotAStackOverflow() {
        // given input nested far beyond jackson-core's default limit of 1000
        String deep = "[".repeat(100_000) + "]".repeat(100_000);

        // then reading fails as the parser's constraint says
        assertThatThrownBy(() -> JsonTrees.read(deep)).isInstanceOf(JacksonException.class)
                .hasMessageContaining("nesting depth");
    }

    /** The node classes of a tree, depth first, so that IntNode vs LongNode differences show. */
    private static List<String> classes(JsonNode node) {
        List<String> out = new ArrayList<>();
        out.add(node.getClass().getSimpleName());
        node.values().forEach(child -> out.addAll(classes(child)));
        return out;
    }

    private static List<String> corpus() throws IOException {
        List<String> out = new ArrayList<>();
        Path root = Path.of("src/test/java/dev/dspy4j");
        for (String file : REPLY_SOURCES) {
            String source = Files.readString(root.resolve(file));
            Matcher blocks = TEXT_BLOCK.matcher(source);
            while (blocks.find()) {
                add(out, blocks.group(1).stripIndent());
            }
            Matcher literals = LITERAL.matcher(TEXT_BLOCK.matcher(source).replaceAll(""));
            while (literals.find()) {
                add(out, literals.group(1));
            }
        }
        return out;
    }

    private static void add(List<String> out, String escaped) {
        String text;
        try {
            text = escaped.translateEscapes();
        } catch (IllegalArgumentException e) {
            return;
        }
        out.add(text);
        for (String line : text.split("\n")) {
            if (line.startsWith("data:")) {
                out.add(line.substring(5).strip());
            }
        }
    }
}
