package dev.dspy4j.adapter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One element of a parsed XML tree, shaped like Python's {@code xml.etree.ElementTree.Element}:
 * a tag ({@code {uri}local} when namespaced), attributes in document order, the text before the
 * first child, the children, and the tail (text after this element's end tag, inside the parent).
 * {@code text} and {@code tail} are {@code null} when there is no character data, as in Python.
 *
 * <p>Built by {@link XmlReader}; read-only once the reader returns it.
 */
final class XmlElement {

    private static final Map<String, String> WELL_KNOWN_PREFIXES = Map.of(
            "http://www.w3.org/XML/1998/namespace", "xml",
            "http://www.w3.org/1999/xhtml", "html",
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdf",
            "http://schemas.xmlsoap.org/wsdl/", "wsdl",
            "http://www.w3.org/2001/XMLSchema", "xs",
            "http://www.w3.org/2001/XMLSchema-instance", "xsi",
            "http://purl.org/dc/elements/1.1/", "dc");

    private final String tag;
    private final Map<String, String> attributes;
    private final List<XmlElement> children = new ArrayList<>();
    private @Nullable String text;
    private @Nullable String tail;

    XmlElement(String tag, Map<String, String> attributes) {
        this.tag = tag;
        this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** The tag, {@code {uri}local} for a namespaced element. */
    String tag() {
        return tag;
    }

    /** The attributes in document order (namespace declarations excluded). */
    Map<String, String> attributes() {
        return attributes;
    }

    /** The character data before the first child, or {@code null}. */
    @Nullable String text() {
        return text;
    }

    /** The character data after this element's end tag, or {@code null}. */
    @Nullable String tail() {
        return tail;
    }

    /** The child elements in document order. */
    List<XmlElement> children() {
        return Collections.unmodifiableList(children);
    }

    void addChild(XmlElement child) {
        children.add(child);
    }

    /** Appends character data at the current end of this element's content. */
    void appendData(String data) {
        if (children.isEmpty()) {
            text = text == null ? data : text + data;
        } else {
            XmlElement last = children.get(children.size() - 1);
            last.tail = last.tail == null ? data : last.tail + data;
        }
    }

    /**
     * This element serialized as Python's {@code ET.tostring(element, encoding="unicode")} does,
     * tail included: {@code <tag a="v">text...</tag>tail}, or {@code <tag />} when empty.
     */
    String toXmlString() {
        Map<String, String> prefixes = new LinkedHashMap<>();
        Map<String, String> qualifiedNames = new LinkedHashMap<>();
        collectNamespaces(this, prefixes, qualifiedNames);
        StringBuilder out = new StringBuilder();
        write(out, prefixes, qualifiedNames, true);
        return out.toString();
    }

    private static void collectNamespaces(XmlElement element, Map<String, String> prefixes,
                                          Map<String, String> qualifiedNames) {
        qualify(element.tag, prefixes, qualifiedNames);
        for (String key : element.attributes.keySet()) {
            qualify(key, prefixes, qualifiedNames);
        }
        for (XmlElement child : element.children) {
            collectNamespaces(child, prefixes, qualifiedNames);
        }
    }

    private static void qualify(String name, Map<String, String> prefixes, Map<String, String> qualifiedNames) {
        if (qualifiedNames.containsKey(name)) {
            return;
        }
        if (!name.startsWith("{")) {
            qualifiedNames.put(name, name);
            return;
        }
        int close = name.indexOf('}');
        String uri = name.substring(1, close);
        String prefix = prefixes.get(uri);
        if (prefix == null) {
            prefix = WELL_KNOWN_PREFIXES.getOrDefault(uri, "ns" + prefixes.size());
            if (!prefix.equals("xml")) {
                prefixes.put(uri, prefix);
            }
        }
        qualifiedNames.put(name, prefix + ":" + name.substring(close + 1));
    }

    private void write(StringBuilder out, Map<String, String> prefixes, Map<String, String> qualifiedNames,
                       boolean top) {
        String name = qualifiedNames.get(tag);
        out.append('<').append(name);
        if (top) {
            prefixes.entrySet().stream()
                    .sorted(Map.Entry.comparingByValue())
                    .forEach(e -> out.append(" xmlns:").append(e.getValue()).append("=\"")
                            .append(escapeAttribute(e.getKey())).append('"'));
        }
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            out.append(' ').append(qualifiedNames.get(attribute.getKey())).append("=\"")
                    .append(escapeAttribute(attribute.getValue())).append('"');
        }
        if ((text != null && !text.isEmpty()) || !children.isEmpty()) {
            out.append('>');
            if (text != null) {
                out.append(escapeText(text));
            }
            for (XmlElement child : children) {
                child.write(out, prefixes, qualifiedNames, false);
            }
            out.append("</").append(name).append('>');
        } else {
            out.append(" />");
        }
        if (tail != null) {
            out.append(escapeText(tail));
        }
    }

    private static String escapeText(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String escapeAttribute(String s) {
        return escapeText(s).replace("\"", "&quot;").replace("\r", "&#13;").replace("\n", "&#10;")
                .replace("\t", "&#09;");
    }
}
