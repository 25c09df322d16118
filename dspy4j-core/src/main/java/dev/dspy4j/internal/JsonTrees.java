package dev.dspy4j.internal;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.BigIntegerNode;
import tools.jackson.databind.node.BinaryNode;
import tools.jackson.databind.node.BooleanNode;
import tools.jackson.databind.node.DecimalNode;
import tools.jackson.databind.node.DoubleNode;
import tools.jackson.databind.node.FloatNode;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.LongNode;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.POJONode;
import tools.jackson.databind.node.ShortNode;
import tools.jackson.databind.node.StringNode;

/**
 * Jackson trees read and written with jackson-core's streaming parser and generator instead of a
 * databind {@code JsonMapper}, whose construction costs about 250 ms of class loading in a fresh
 * JVM: the LM call path (request bodies, replies, cache keys and entries) uses this class only.
 *
 * <p>The results are those of a default {@code JsonMapper.builder().build()}: {@link #read} gives
 * the trees of {@code readTree} (ints as {@code IntNode}, {@code LongNode} or
 * {@code BigIntegerNode} by size, fractions as {@code DoubleNode}, the last of duplicate keys,
 * {@code MissingNode} for empty input, an error for trailing tokens); {@link #write} and
 * {@link #writeString} give the bytes of {@code writeValueAsBytes} and {@code writeValueAsString}
 * (cache keys depend on it); {@link #toTree} gives {@code valueToTree} and {@link #toJava} gives
 * {@code convertValue(node, Object.class)}. Values this class does not know (records, beans,
 * dates, enums, byte arrays...) are handed to a mapper built on first need.
 *
 * <p>Nesting: reading and writing recurse, bounded by jackson-core's default
 * {@code StreamReadConstraints}/{@code StreamWriteConstraints} maximum depth of 1000, which fails
 * deeper input with a {@link JacksonException} long before the stack is at risk.
 *
 * <p>Thread-safe. Not public API.
 */
public final class JsonTrees {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTrees() {
    }

    /** A new empty object node. */
    public static ObjectNode object() {
        return NODES.objectNode();
    }

    /** A new empty array node. */
    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    /**
     * Parses UTF-8 (or UTF-16/32, detected) JSON text into a tree, as {@code readTree} does.
     *
     * @param json the text
     * @return the tree; {@code MissingNode} if there is no content
     * @throws JacksonException if the text is not one JSON value
     */
    public static JsonNode read(byte[] json) {
        try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), json)) {
            return readAll(parser);
        }
    }

    /**
     * Parses JSON text into a tree, as {@code readTree} does.
     *
     * @param json the text
     * @return the tree; {@code MissingNode} if there is no content
     * @throws JacksonException if the text is not one JSON value
     */
    public static JsonNode read(String json) {
        try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), json)) {
            return readAll(parser);
        }
    }

    private static JsonNode readAll(JsonParser parser) {
        JsonToken first = parser.nextToken();
        if (first == null) {
            return NODES.missingNode();
        }
        JsonNode root = value(parser, first);
        JsonToken trailing = parser.nextToken();
        if (trailing != null) {
            // databind's FAIL_ON_TRAILING_TOKENS (on by default in Jackson 3), with its message
            throw new StreamReadException(parser, "Trailing token (`JsonToken." + trailing.name()
                    + "`) found after value (bound as `" + JsonNode.class.getName()
                    + "`): not allowed as per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`");
        }
        return root;
    }

    /** The value starting at {@code token}; recursion depth is bounded by the parser's nesting limit. */
    private static JsonNode value(JsonParser parser, JsonToken token) {
        return switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                for (String name = parser.nextName(); name != null; name = parser.nextName()) {
                    object.set(name, value(parser, parser.nextToken())); // the last of duplicate keys wins
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    array.add(value(parser, t));
                }
                yield array;
            }
            case VALUE_STRING -> NODES.stringNode(parser.getString());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new StreamReadException(parser, "Unexpected token " + token);
        };
    }

    /**
     * Compact UTF-8 JSON of a tree, byte for byte as {@code writeValueAsBytes} writes it.
     *
     * @param node the tree
     * @return the bytes
     */
    public static byte[] write(JsonNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator generator = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            write(generator, node);
        }
        return out.toByteArray();
    }

    /**
     * Compact JSON text of a tree, as {@code writeValueAsString} writes it.
     *
     * @param node the tree
     * @return the text
     */
    public static String writeString(JsonNode node) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator generator = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            write(generator, node);
        }
        return out.toString();
    }

    /** Writes a node as the node's own {@code serialize} does with a default mapper. */
    private static void write(JsonGenerator generator, JsonNode node) {
        switch (node) {
            case ObjectNode object -> {
                generator.writeStartObject(object, object.size());
                for (Map.Entry<String, JsonNode> property : object.properties()) {
                    generator.writeName(property.getKey());
                    write(generator, property.getValue());
                }
                generator.writeEndObject();
            }
            case ArrayNode array -> {
                generator.writeStartArray(array, array.size());
                for (JsonNode element : array) {
                    write(generator, element);
                }
                generator.writeEndArray();
            }
            case StringNode string -> generator.writeString(string.stringValue());
            case IntNode number -> generator.writeNumber(number.intValue());
            case LongNode number -> generator.writeNumber(number.longValue());
            case ShortNode number -> generator.writeNumber(number.shortValue());
            case BigIntegerNode number -> generator.writeNumber(number.bigIntegerValue());
            case DoubleNode number -> generator.writeNumber(number.doubleValue());
            case FloatNode number -> generator.writeNumber(number.floatValue());
            case BooleanNode bool -> generator.writeBoolean(bool.booleanValue());
            case NullNode nothing -> generator.writeNull();
            // putPOJO values (stop lists, tool specs, extras): serialized directly, as the mapper does
            case POJONode pojo -> writeValue(generator, pojo.getPojo());
            // rare kinds (decimals, binary, raw values): the mapper knows their settings
            default -> Fallback.MAPPER.writeValue(generator, node);
        }
    }

    /** Writes a Java value as a default mapper serializes it; values other than plain ones go to the mapper. */
    private static void writeValue(JsonGenerator generator, @Nullable Object value) {
        switch (value) {
            case null -> generator.writeNull();
            case JsonNode node -> write(generator, node);
            case String string -> generator.writeString(string);
            case Integer number -> generator.writeNumber(number.intValue());
            case Long number -> generator.writeNumber(number.longValue());
            case Double number -> generator.writeNumber(number.doubleValue());
            case Float number -> generator.writeNumber(number.floatValue());
            case Short number -> generator.writeNumber(number.shortValue());
            case BigInteger number -> generator.writeNumber(number);
            case Boolean bool -> generator.writeBoolean(bool);
            case Map<?, ?> map when stringKeys(map) -> {
                generator.writeStartObject(map, map.size());
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    generator.writeName((String) entry.getKey());
                    writeValue(generator, entry.getValue());
                }
                generator.writeEndObject();
            }
            case Collection<?> collection -> {
                generator.writeStartArray(collection, collection.size());
                for (Object element : collection) {
                    writeValue(generator, element);
                }
                generator.writeEndArray();
            }
            default -> Fallback.MAPPER.writeValue(generator, value);
        }
    }

    /**
     * A plain Java value (maps with string keys, collections, strings, numbers, booleans, null,
     * trees) as a tree, as {@code valueToTree} makes it; other values go through a mapper.
     *
     * @param value the value
     * @return its tree ({@code NullNode} for null)
     * @throws JacksonException if a value cannot be serialized
     */
    public static JsonNode toTree(@Nullable Object value) {
        return switch (value) {
            case null -> NODES.nullNode();
            case JsonNode node -> node;
            case String string -> NODES.stringNode(string);
            case Integer number -> NODES.numberNode(number.intValue());
            case Long number -> NODES.numberNode(number.longValue());
            case Double number -> NODES.numberNode(number.doubleValue());
            case Float number -> NODES.numberNode(number.floatValue());
            case Short number -> NODES.numberNode(number.shortValue());
            case BigInteger number -> NODES.numberNode(number);
            case Boolean bool -> NODES.booleanNode(bool);
            case Map<?, ?> map when stringKeys(map) -> {
                ObjectNode object = NODES.objectNode();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    object.set((String) entry.getKey(), toTree(entry.getValue()));
                }
                yield object;
            }
            case Collection<?> collection -> {
                ArrayNode array = NODES.arrayNode(collection.size());
                for (Object element : collection) {
                    array.add(toTree(element));
                }
                yield array;
            }
            default -> Fallback.MAPPER.valueToTree(value);
        };
    }

    private static boolean stringKeys(Map<?, ?> map) {
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A tree as plain Java values, as {@code convertValue(node, Object.class)} gives them:
     * {@link LinkedHashMap}, {@link ArrayList}, {@code String}, {@code Integer}/{@code Long}/
     * {@code BigInteger}, {@code Double}, {@code Boolean} and {@code null}.
     *
     * @param node the tree
     * @return the value
     */
    public static @Nullable Object toJava(JsonNode node) {
        return switch (node) {
            case ObjectNode object -> toJavaMap(object);
            case ArrayNode array -> {
                List<@Nullable Object> list = new ArrayList<>(array.size());
                for (JsonNode element : array) {
                    list.add(toJava(element));
                }
                yield list;
            }
            case StringNode string -> string.stringValue();
            case IntNode number -> number.intValue();
            case LongNode number -> number.longValue();
            case BigIntegerNode number -> number.bigIntegerValue();
            case DoubleNode number -> number.doubleValue();
            case BooleanNode bool -> bool.booleanValue();
            case NullNode nothing -> null;
            case BinaryNode binary -> Fallback.MAPPER.convertValue(binary, Object.class);
            case DecimalNode decimal -> Fallback.MAPPER.convertValue(decimal, Object.class);
            default -> node.isMissingNode() ? null : Fallback.MAPPER.convertValue(node, Object.class);
        };
    }

    /**
     * An object node as a {@link LinkedHashMap} of plain Java values (see {@link #toJava}), as
     * {@code convertValue(node, LinkedHashMap.class)} gives it.
     *
     * @param object the tree
     * @return a new mutable map in the node's property order
     */
    public static Map<String, @Nullable Object> toJavaMap(ObjectNode object) {
        Map<String, @Nullable Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> property : object.properties()) {
            map.put(property.getKey(), toJava(property.getValue()));
        }
        return map;
    }

    /**
     * Parses JSON text into plain Java values, as {@code readValue(json, Object.class)} does.
     *
     * @param json the text
     * @return the value
     * @throws JacksonException if the text is not one JSON value, or is empty
     */
    public static @Nullable Object readJava(String json) {
        JsonNode tree = read(json);
        if (tree.isMissingNode()) {
            throw new StreamReadException(null, "No content to map due to end-of-input");
        }
        return toJava(tree);
    }

    /** The databind mapper for values the streaming code does not handle; built on first use only. */
    private static final class Fallback {
        static final JsonMapper MAPPER = JsonMapper.builder().build();
    }
}
