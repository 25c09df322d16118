package dev.dspy4j.tool;

import dev.dspy4j.signature.Desc;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Java counterparts of the Python functions the golden {@code agent_tool_*} cases built tools from. */
final class GoldenTools {

    private GoldenTools() {}

    record Party(int size, String name) {}

    record Slot(String day, int hour, Party party) {}

    enum Tag { red, blue }

    static final class Restaurant {
        @ToolFunction("Book a restaurant table.")
        String bookTable(Slot slot, List<String> guests, Optional<String> notes) {
            return "booked " + slot.day() + " " + slot.hour() + " for " + slot.party().name() + " +" + guests
                    + notes.map(n -> " (" + n + ")").orElse("");
        }

        @ToolFunction("Attach a tag to every item.")
        Map<String, String> tagItems(List<String> items, @Default("red") Tag tag) {
            return Map.of("tag", tag.name(), "count", String.valueOf(items.size()));
        }

        @ToolFunction
        static String lookup(@Desc("record ids, at most 5") List<Long> ids, @Default("false") boolean exact) {
            return ids + (exact ? " exactly" : "");
        }

        @ToolFunction("A tool without type hints.")
        static Object untyped(Object x, @Default("2") Object y) {
            return List.of(x, y);
        }
    }

    @ToolFunction("Get the weather forecast for a city.\nReturns a short summary.")
    static String getWeather(String city, @Default("1") int days) {
        return "Sunny in " + city + " for " + days + " day(s)";
    }

    static final String GET_WEATHER = "get_weather, whose description is <desc>Get the weather forecast for a city."
            + "  Returns a short summary.</desc>. It takes arguments {'city': {'type': 'string'}, 'days': "
            + "{'type': 'integer', 'default': 1}}.";

    static final String BOOK_TABLE = "book_table, whose description is <desc>Book a restaurant table.</desc>. It takes"
            + " arguments {'slot': {'properties': {'day': {'title': 'Day', 'type': 'string'}, 'hour': {'title': 'Hour',"
            + " 'type': 'integer'}, 'party': {'properties': {'size': {'title': 'Size', 'type': 'integer'}, 'name': "
            + "{'title': 'Name', 'type': 'string'}}, 'required': ['size', 'name'], 'title': 'Party', 'type': "
            + "'object'}}, 'required': ['day', 'hour', 'party'], 'title': 'Slot', 'type': 'object'}, 'guests': "
            + "{'items': {'type': 'string'}, 'type': 'array'}, 'notes': {'anyOf': [{'type': 'string'}, {'type': "
            + "'null'}], 'default': None}}.";

    static final String TAG_ITEMS = "tag_items, whose description is <desc>Attach a tag to every item.</desc>. It "
            + "takes arguments {'items': {'items': {'type': 'string'}, 'type': 'array'}, 'tag': {'enum': ['red', "
            + "'blue'], 'type': 'string', 'default': 'red'}}.";

    static final String LOOKUP = "lookup, whose description is <desc>Look records up by id.</desc>. It takes "
            + "arguments {'ids': {'items': {'type': 'integer'}, 'type': 'array', 'description': 'record ids, at most"
            + " 5'}, 'exact': {'type': 'boolean', 'default': False}}.";

    static final String UNTYPED = "untyped, whose description is <desc>A tool without type hints.</desc>. It takes "
            + "arguments {'x': {}, 'y': {'default': 2}}.";

    static Tool byName(List<Tool> tools, String name) {
        return tools.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }
}
