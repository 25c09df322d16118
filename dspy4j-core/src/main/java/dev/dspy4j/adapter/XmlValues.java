package dev.dspy4j.adapter;

import dev.dspy4j.internal.python.PythonText;
import dev.dspy4j.internal.python.PythonValues;
import dev.dspy4j.signature.FieldType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The type-driven parts of DSPy's XMLAdapter: which output types are written as nested XML, the
 * skeleton shown to the LM ({@code <answers><item>...</item></answers>}), values written as nested
 * XML, and values rebuilt from parsed elements before {@code parse_value}.
 *
 * <p>DSPy drives these from the pydantic JSON schema of the annotation; here the
 * {@link FieldType} plays that role, with the same outcome: optional types use their non-null
 * branch, lists are arrays of {@code <item>}, records have one child per field, dicts are open
 * objects, and enums and string literals count as strings.
 *
 * <p>Stateless and thread-safe.
 */
final class XmlValues {

    private XmlValues() {}

    /** What the JSON schema's {@code "type"} says, as far as rebuilding values cares. */
    private enum Kind { STRING, ARRAY, OBJECT, OTHER }

    /**
     * Whether an output of this type is written as nested XML: lists (except lists of DSPy's own
     * types), dicts and records, optionally wrapped in {@code Optional}.
     */
    static boolean usesNestedXml(FieldType type) {
        FieldType inner = type instanceof FieldType.OptionalType optional ? optional.inner() : type;
        if (inner instanceof FieldType.ListType list) {
            return !(list.element() instanceof FieldType.SpecialType);
        }
        return inner instanceof FieldType.DictType || inner instanceof FieldType.RecordType;
    }

    /**
     * The XML skeleton of a type: {@code <tag>...</tag>} for a leaf or an open dict,
     * {@code <tag><item>...</item></tag>} for a list, one child per field for a record.
     */
    static String skeleton(String tag, FieldType type) {
        StringBuilder out = new StringBuilder();
        appendSkeleton(out, tag, type, 0);
        return out.toString();
    }

    private static void appendSkeleton(StringBuilder out, String tag, FieldType type, int depth) {
        FieldType inner = type instanceof FieldType.OptionalType optional ? optional.inner() : type;
        if (inner instanceof FieldType.ListType list && depth < 32) {
            out.append('<').append(tag).append('>');
            appendSkeleton(out, "item", list.element(), depth + 1);
            out.append("</").append(tag).append('>');
        } else if (inner instanceof FieldType.RecordType record && !record.fields().isEmpty() && depth < 32) {
            out.append('<').append(tag).append('>');
            record.fields().forEach((name, fieldType) -> appendSkeleton(out, name, fieldType, depth + 1));
            out.append("</").append(tag).append('>');
        } else {
            out.append('<').append(tag).append(">...</").append(tag).append('>');
        }
    }

    /**
     * A plain value ({@link PythonValues#toJsonable}) as nested XML: list items as {@code <item>},
     * map keys as tags or, when a key is not a valid tag name, {@code <entry key="...">}; scalars
     * as Python's {@code str()} with {@code &} and {@code <} escaped; {@code None} and empty lists
     * as {@code <tag />}.
     */
    static String valueToXml(@Nullable Object value, String tag) {
        StringBuilder out = new StringBuilder();
        appendValue(out, value, tag, null);
        return out.toString();
    }

    private static void appendValue(StringBuilder out, @Nullable Object value, String tag, @Nullable String key) {
        String attributes = key == null ? "" : " key=" + quoteAttribute(key);
        if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                out.append('<').append(tag).append(attributes).append(" />");
                return;
            }
            out.append('<').append(tag).append(attributes).append('>');
            for (Object item : list) {
                appendValue(out, item, "item", null);
            }
            out.append("</").append(tag).append('>');
        } else if (value instanceof Map<?, ?> map) {
            out.append('<').append(tag).append(attributes).append('>');
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String name = PythonValues.str(entry.getKey());
                if (isTagName(name)) {
                    appendValue(out, entry.getValue(), name, null);
                } else {
                    appendValue(out, entry.getValue(), "entry", name);
                }
            }
            out.append("</").append(tag).append('>');
        } else if (value == null) {
            out.append('<').append(tag).append(attributes).append(" />");
        } else {
            out.append('<').append(tag).append(attributes).append('>').append(escape(PythonValues.str(value)))
                    .append("</").append(tag).append('>');
        }
    }

    /** DSPy's escaping of text in XML output values: {@code &} and {@code <} only. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;");
    }

    /**
     * DSPy's test for a key usable as a tag: a Python identifier once {@code -} and {@code .}
     * after the first character are read as {@code _}.
     */
    static boolean isTagName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        String candidate = name.charAt(0) + name.substring(1).replace('-', '_').replace('.', '_');
        int first = candidate.codePointAt(0);
        if (first != '_' && !(Character.isUnicodeIdentifierStart(first) && !Character.isIdentifierIgnorable(first))) {
            return false;
        }
        for (int i = Character.charCount(first); i < candidate.length(); ) {
            int c = candidate.codePointAt(i);
            if (!Character.isUnicodeIdentifierPart(c) || Character.isIdentifierIgnorable(c)) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    /** Python's {@code xml.sax.saxutils.quoteattr}. */
    static String quoteAttribute(String value) {
        String escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;");
        if (escaped.indexOf('"') >= 0) {
            if (escaped.indexOf('\'') >= 0) {
                return "\"" + escaped.replace("\"", "&quot;") + "\"";
            }
            return "'" + escaped + "'";
        }
        return "\"" + escaped + "\"";
    }

    /**
     * The children of an element grouped by tag, in order of first appearance; an
     * {@code <entry key="k">} is grouped under {@code k}.
     */
    static Map<String, List<XmlElement>> groupChildren(XmlElement element) {
        Map<String, List<XmlElement>> groups = new LinkedHashMap<>();
        for (XmlElement child : element.children()) {
            String name = child.tag().equals("entry")
                    ? child.attributes().getOrDefault("key", child.tag())
                    : child.tag();
            groups.computeIfAbsent(name, k -> new ArrayList<>()).add(child);
        }
        return groups;
    }

    /**
     * Rebuilds a value from the elements found for one name, guided by the type: {@code null} for
     * an empty optional, lists from {@code <item>} children (or repeated elements), maps from
     * children, strings with markup kept as XML text, stripped text otherwise. The result is then
     * validated against the type by {@code parse_value}.
     *
     * @param elements the elements with this name, at least one
     * @param type the expected type; {@code null} stands for a schema without a type
     */
    static @Nullable Object elementsToValue(List<XmlElement> elements, @Nullable FieldType type) {
        XmlElement first = elements.get(0);
        if (type instanceof FieldType.OptionalType optional) {
            if (first.children().isEmpty() && PythonText.strip(textOf(first)).isEmpty()) {
                return null;
            }
            // pydantic puts a named type of an optional behind an unresolved "$ref", so DSPy reads it
            // without a schema here (the adapter then retries with the named type itself)
            type = optional.inner() instanceof FieldType.RecordType || optional.inner() instanceof FieldType.EnumType
                    ? null : optional.inner();
        }
        Kind kind = kind(type);
        if (type instanceof FieldType.ListType list) { // kind ARRAY
            FieldType itemType = list.element();
            List<XmlElement> items = elements;
            if (elements.size() == 1 && first.children().isEmpty()) {
                String text = PythonText.strip(textOf(first));
                if (text.isEmpty()) {
                    return new ArrayList<>();
                }
                if (text.startsWith("[")) {
                    return text;
                }
            }
            if (elements.size() == 1) {
                List<XmlElement> found = groupChildren(first).get("item");
                if (found != null) {
                    items = found;
                }
            }
            List<Object> out = new ArrayList<>(items.size());
            for (XmlElement item : items) {
                out.add(elementsToValue(List.of(item), itemType));
            }
            return out;
        }
        if (kind == Kind.STRING && !first.children().isEmpty()) {
            StringBuilder out = new StringBuilder(textOf(first));
            for (XmlElement child : first.children()) {
                out.append(child.toXmlString());
            }
            return out.toString();
        }
        Map<String, List<XmlElement>> children = groupChildren(first);
        if (children.isEmpty()) {
            if (kind == Kind.OBJECT && PythonText.strip(textOf(first)).isEmpty()) {
                return new LinkedHashMap<String, Object>();
            }
            if (elements.size() == 1) {
                return PythonText.strip(textOf(first));
            }
            List<Object> values = new ArrayList<>(elements.size());
            for (XmlElement element : elements) {
                values.add(PythonText.strip(textOf(element)));
            }
            return values;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<XmlElement>> group : children.entrySet()) {
            out.put(group.getKey(), elementsToValue(group.getValue(), childType(type, group.getKey())));
        }
        return out;
    }

    private static @Nullable FieldType childType(@Nullable FieldType type, String name) {
        if (type instanceof FieldType.RecordType record) {
            return record.fields().get(name);
        }
        if (type instanceof FieldType.DictType dict) {
            return dict.value();
        }
        return null;
    }

    private static Kind kind(@Nullable FieldType type) {
        if (type == null) {
            return Kind.OTHER;
        }
        return switch (type) {
            case FieldType.StrType s -> Kind.STRING;
            case FieldType.EnumType e -> Kind.STRING;
            case FieldType.LiteralType literal ->
                    literal.values().stream().allMatch(v -> v instanceof String) ? Kind.STRING : Kind.OTHER;
            case FieldType.ListType l -> Kind.ARRAY;
            case FieldType.DictType d -> Kind.OBJECT;
            case FieldType.RecordType r -> Kind.OBJECT;
            default -> Kind.OTHER;
        };
    }

    private static String textOf(XmlElement element) {
        return element.text() == null ? "" : element.text();
    }
}
