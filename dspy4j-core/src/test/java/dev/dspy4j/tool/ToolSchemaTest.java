package dev.dspy4j.tool;

import static dev.dspy4j.tool.GoldenTools.byName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.signature.Desc;
import dev.dspy4j.signature.Name;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ToolSchemaTest {

    private static final List<Tool> RESTAURANT = Tool.fromAnnotated(new GoldenTools.Restaurant());

    @Test
    void rendersScalarsAndDefaultsAsPydanticDoes() throws Exception {
        Tool tool = Tool.fromAnnotated(GoldenTools.class).get(0);

        assertThat(tool.name()).isEqualTo("get_weather");
        assertThat(tool.args()).isEqualTo(Map.of("city", Map.of("type", "string"),
                "days", Map.of("type", "integer", "default", 1L)));
        assertThat(tool.argTypes()).containsExactly(Map.entry("city", "str"), Map.entry("days", "int"));
        assertThat(tool.toString()).isEqualTo(GoldenTools.GET_WEATHER);
    }

    @Test
    void inlinesNestedRecordsWithTitlesAndRequiredAndRendersOptionalAsAnyOfNull() {
        Tool tool = byName(RESTAURANT, "book_table");

        assertThat(tool.toString()).isEqualTo(GoldenTools.BOOK_TABLE);
        assertThat(tool.argTypes()).containsExactly(Map.entry("slot", "Slot"), Map.entry("guests", "list[str]"),
                Map.entry("notes", "Optional[str]"));
    }

    @Test
    void rendersEnumsAsLiteralsWithTheirDefaultLast() {
        Tool tool = byName(RESTAURANT, "tag_items");

        assertThat(tool.toString()).isEqualTo(GoldenTools.TAG_ITEMS);
        assertThat(tool.argTypes()).containsEntry("tag", "Literal['red', 'blue']");
    }

    @Test
    void appendsArgumentDescriptionsAfterTheSchemaAndDefault() {
        Tool tool = byName(RESTAURANT, "lookup").toBuilder().desc("Look records up by id.").build();

        assertThat(tool.toString()).isEqualTo(GoldenTools.LOOKUP);
        assertThat(tool.argDesc()).containsExactly(Map.entry("ids", "record ids, at most 5"));
    }

    @Test
    void rendersObjectParametersAsAnyWithAnEmptySchema() {
        Tool tool = byName(RESTAURANT, "untyped");

        assertThat(tool.toString()).isEqualTo(GoldenTools.UNTYPED);
        assertThat(tool.argTypes()).containsExactly(Map.entry("x", "Any"), Map.entry("y", "Any"));
    }

    record Search(@Desc("what to look for") String query, @Name("k") @Default("3") int maxResults,
                  @Nullable String site, Map<String, Double> weights, Map<String, Object> extra) {}

    @Test
    void derivesRecordComponentsAsArgumentsWithNamesDescriptionsNullablesAndMaps() {
        Tool tool = Tool.of("search", "Search the web.", Search.class, s -> s.query());

        assertThat(tool.args()).containsOnlyKeys("query", "k", "site", "weights", "extra");
        assertThat(tool.args().get("k")).isEqualTo(Map.of("type", "integer", "default", 3L));
        assertThat(tool.args().get("site")).containsEntry("default", null);
        assertThat(tool.args().get("extra")).isEqualTo(Map.of("additionalProperties", true, "type", "object"));
        assertThat(tool.toString()).contains("'query': {'type': 'string', 'description': 'what to look for'}",
                "'site': {'anyOf': [{'type': 'string'}, {'type': 'null'}], 'default': None}",
                "'weights': {'additionalProperties': {'type': 'number'}, 'type': 'object'}");
        assertThat(tool.argTypes()).containsExactly(Map.entry("query", "str"), Map.entry("k", "int"),
                Map.entry("site", "Optional[str]"), Map.entry("weights", "dict[str, float]"),
                Map.entry("extra", "dict[str, Any]"));
    }

    record Item(String sku, @Default("1") int quantity, Optional<String> note, @Desc("in cents") long price) {}

    record Order(List<Item> items, Set<String> tags) {}

    @Test
    void givesNestedDefaultsOptionalsAndDescriptionsAsPydanticFieldsInKeyOrder() {
        Tool tool = Tool.of("order", "", Order.class, o -> o.items().size());

        assertThat(tool.toString()).isEqualTo("order. It takes arguments {'items': {'items': {'properties': {"
                + "'sku': {'title': 'Sku', 'type': 'string'}, 'quantity': {'default': 1, 'title': 'Quantity', 'type':"
                + " 'integer'}, 'note': {'anyOf': [{'type': 'string'}, {'type': 'null'}], 'default': None, 'title': "
                + "'Note'}, 'price': {'description': 'in cents', 'title': 'Price', 'type': 'integer'}}, 'required': "
                + "['sku', 'price'], 'title': 'Item', 'type': 'object'}, 'type': 'array'}, 'tags': {'items': {'type':"
                + " 'string'}, 'type': 'array'}}.");
    }

    @Test
    void infersArgumentTypesFromTheSchemasOfASchemaTool() {
        Map<String, Map<String, ?>> args = new LinkedHashMap<>();
        args.put("q", Map.of("type", "string"));
        args.put("n", ordered("type", "integer", "default", 5));
        args.put("ids", ordered("type", "array", "items", Map.of("type", "number")));
        args.put("mode", ordered("enum", List.of("a", "b"), "type", "string"));
        args.put("maybe", Map.of("anyOf", List.of(Map.of("type", "boolean"), Map.of("type", "null"))));
        args.put("anything", Map.of());

        Tool tool = Tool.ofSchema("s", "", args, a -> a);

        assertThat(tool.argTypes()).containsExactly(Map.entry("q", "str"), Map.entry("n", "int"),
                Map.entry("ids", "list[float]"), Map.entry("mode", "Literal['a', 'b']"),
                Map.entry("maybe", "Optional[bool]"), Map.entry("anything", "Any"));
        assertThat(tool.toString()).isEqualTo("s. It takes arguments {'q': {'type': 'string'}, 'n': {'type': "
                + "'integer', 'default': 5}, 'ids': {'type': 'array', 'items': {'type': 'number'}}, 'mode': {'enum':"
                + " ['a', 'b'], 'type': 'string'}, 'maybe': {'anyOf': [{'type': 'boolean'}, {'type': 'null'}]}, "
                + "'anything': {}}.");
    }

    record Node(String label, List<Node> children) {}

    @Test
    void rejectsRecursiveRecordsAndTypesWithoutASchema() {
        assertThatThrownBy(() -> Tool.of("tree", "", Node.class, n -> n))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("recursive");
        record Odd(Thread thread) {}
        assertThatThrownBy(() -> Tool.of("odd", "", Odd.class, n -> n))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Thread");
    }

    @Test
    void producesDspysFunctionCallingShapeWithArgumentsWithoutDefaultsRequired() {
        Tool tool = Tool.fromAnnotated(GoldenTools.class).get(0);

        assertThat(tool.toSpec().name()).isEqualTo("get_weather");
        assertThat(tool.toSpec().description()).isEqualTo("Get the weather forecast for a city.\nReturns a short summary.");
        assertThat(tool.toSpec().parameters()).isEqualTo(Map.of("type", "object", "properties", tool.args(),
                "required", List.of("city")));
        assertThat(List.copyOf(tool.toSpec().parameters().keySet())).containsExactly("type", "properties", "required");
    }

    @Test
    void overridesNameDescriptionArgsAndArgumentDescriptions() {
        Tool base = Tool.fromAnnotated(GoldenTools.class).get(0);

        Map<String, Map<String, ?>> args = new LinkedHashMap<>();
        args.put("days", ordered("type", "integer", "default", 2));
        args.put("city", Map.of("type", "string"));

        Tool renamed = base.toBuilder().name("weather").desc("").argDesc("city", "a city name").args(args).build();

        assertThat(renamed.toString()).isEqualTo("weather. It takes arguments {'days': {'type': 'integer', "
                + "'default': 2}, 'city': {'type': 'string', 'description': 'a city name'}}.");
        assertThat(renamed.call(Map.of("city", "Oslo"))).isEqualTo("Sunny in Oslo for 2 day(s)");
        assertThat(base.toString()).isEqualTo(GoldenTools.GET_WEATHER);
        assertThatThrownBy(() -> base.toBuilder().argDesc("town", "x").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'town'");
        assertThatThrownBy(() -> base.toBuilder().args(Map.of("city", Map.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[city, days]");
    }

    /** A map in the order given, as JSON parsed from a tool server would be. */
    static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }
}
