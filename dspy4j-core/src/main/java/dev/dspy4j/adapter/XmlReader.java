package dev.dspy4j.adapter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A small strict XML reader that behaves like Python's {@code xml.etree.ElementTree.fromstring}
 * (expat with namespace processing) on the documents an LM produces: same tree (text, tails,
 * {@code {uri}local} tags, comments and processing instructions dropped) and, on failure, the
 * same message, e.g. {@code mismatched tag: line 2, column 17}. DSPy embeds that message in its
 * parse errors, so it is part of the contract.
 *
 * <p>Positions follow expat: lines count from 1 ({@code \r\n}, {@code \r} and {@code \n} each end
 * a line), columns count characters from 0, and each error points where expat points (the name
 * in a mismatched end tag, the offending character of an invalid token, the start of an unclosed
 * token). No DTD support: a {@code <!DOCTYPE} is an invalid token, as it is inside an element for
 * expat.
 *
 * <p>Stateless and thread-safe.
 */
final class XmlReader {

    private static final String XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace";
    private static final Map<String, String> PREDEFINED_ENTITIES =
            Map.of("lt", "<", "gt", ">", "amp", "&", "quot", "\"", "apos", "'");

    /** Expat's error texts, as Python prints them. */
    enum Error {
        NO_ELEMENTS("no element found"),
        INVALID_TOKEN("not well-formed (invalid token)"),
        UNCLOSED_TOKEN("unclosed token"),
        TAG_MISMATCH("mismatched tag"),
        DUPLICATE_ATTRIBUTE("duplicate attribute"),
        JUNK_AFTER_DOCUMENT_ELEMENT("junk after document element"),
        UNDEFINED_ENTITY("undefined entity"),
        BAD_CHARACTER_REFERENCE("reference to invalid character number"),
        MISPLACED_XML_DECLARATION("XML or text declaration not at start of entity"),
        UNCLOSED_CDATA_SECTION("unclosed CDATA section"),
        UNBOUND_PREFIX("unbound prefix"),
        UNDECLARING_PREFIX("must not undeclare prefix");

        private final String text;

        Error(String text) {
            this.text = text;
        }
    }

    /** The document is not well-formed; the message is expat's, with line and column. */
    static final class XmlParseException extends RuntimeException {
        private final Error error;
        private final int line;
        private final int column;

        XmlParseException(Error error, int line, int column) {
            super(error.text + ": line " + line + ", column " + column, null, false, false);
            this.error = error;
            this.line = line;
            this.column = column;
        }

        Error error() {
            return error;
        }

        int line() {
            return line;
        }

        int column() {
            return column;
        }
    }

    private record RawAttribute(String name, int nameStart, int valueStart, int valueEnd) {}

    private record Open(XmlElement element, String rawName, Map<String, String> bindings) {}

    private final String doc;
    private final int n;
    private int pos;
    private final Deque<Open> open = new ArrayDeque<>();
    private final StringBuilder data = new StringBuilder();

    private XmlReader(String doc) {
        this.doc = doc;
        this.n = doc.length();
    }

    /**
     * Parses a whole document.
     *
     * @param document the XML text
     * @return the root element
     * @throws XmlParseException with expat's message if the text is not well-formed
     */
    static XmlElement parse(String document) {
        return new XmlReader(document).document();
    }

    private XmlElement document() {
        skipProlog();
        if (pos >= n) {
            throw fail(Error.NO_ELEMENTS, n);
        }
        if (doc.charAt(pos) != '<' || pos + 1 >= n || !isNameStart(codePoint(pos + 1))) {
            throw fail(Error.INVALID_TOKEN, pos);
        }
        XmlElement root = startTag(pos);
        if (open.isEmpty()) {
            epilog();
            return root;
        }
        content();
        epilog();
        return root;
    }

    private void skipProlog() {
        while (pos < n) {
            char c = doc.charAt(pos);
            if (isSpace(c)) {
                pos++;
            } else if (doc.startsWith("<!--", pos)) {
                pos = comment(pos);
            } else if (doc.startsWith("<?", pos) && !doc.startsWith("<?xml", pos)) {
                pos = processingInstruction(pos);
            } else if (doc.startsWith("<?xml", pos) && pos == 0) {
                int end = doc.indexOf("?>", pos);
                if (end < 0) {
                    throw fail(Error.UNCLOSED_TOKEN, pos);
                }
                pos = end + 2;
            } else {
                return;
            }
        }
    }

    // ---------------------------------------------------------------- content

    private void content() {
        while (!open.isEmpty()) {
            if (pos >= n) {
                throw fail(Error.NO_ELEMENTS, n);
            }
            int c = codePoint(pos);
            switch (c) {
                case '<' -> markup();
                case '&' -> reference();
                case '\r' -> {
                    data.append('\n');
                    pos += pos + 1 < n && doc.charAt(pos + 1) == '\n' ? 2 : 1;
                }
                case ']' -> {
                    if (doc.startsWith("]]>", pos)) {
                        throw fail(Error.INVALID_TOKEN, pos + 2);
                    }
                    data.append(']');
                    pos++;
                }
                default -> {
                    if (isNonXml(c)) {
                        throw fail(Error.INVALID_TOKEN, pos);
                    }
                    data.appendCodePoint(c);
                    pos += Character.charCount(c);
                }
            }
        }
    }

    private void markup() {
        int start = pos;
        int p = start + 1;
        if (p >= n) {
            throw fail(Error.UNCLOSED_TOKEN, start);
        }
        char c = doc.charAt(p);
        if (c == '!') {
            p++;
            if (p >= n) {
                throw fail(Error.UNCLOSED_TOKEN, start);
            }
            if (doc.charAt(p) == '-') {
                pos = comment(start);
            } else if (doc.charAt(p) == '[') {
                cdataSection(start);
            } else {
                throw fail(Error.INVALID_TOKEN, p);
            }
        } else if (c == '?') {
            pos = processingInstruction(start);
        } else if (c == '/') {
            endTag(start);
        } else if (isNameStart(codePoint(p))) {
            flushData();
            startTag(start);
        } else {
            throw fail(Error.INVALID_TOKEN, p);
        }
    }

    private void flushData() {
        if (!data.isEmpty() && !open.isEmpty()) {
            open.peek().element().appendData(data.toString());
        }
        data.setLength(0);
    }

    private XmlElement startTag(int start) {
        int p = qualifiedName(start + 1, start);
        String rawName = doc.substring(start + 1, p);
        List<RawAttribute> attributes = new ArrayList<>();
        boolean empty = false;
        while (true) {
            if (p >= n) {
                throw fail(Error.UNCLOSED_TOKEN, start);
            }
            char c = doc.charAt(p);
            if (c == '>') {
                p++;
                break;
            }
            if (c == '/') {
                p++;
                if (p >= n) {
                    throw fail(Error.UNCLOSED_TOKEN, start);
                }
                if (doc.charAt(p) != '>') {
                    throw fail(Error.INVALID_TOKEN, p);
                }
                p++;
                empty = true;
                break;
            }
            if (!isSpace(c)) {
                throw fail(Error.INVALID_TOKEN, p);
            }
            while (p < n && isSpace(doc.charAt(p))) {
                p++;
            }
            if (p >= n) {
                throw fail(Error.UNCLOSED_TOKEN, start);
            }
            if (isNameStart(codePoint(p))) {
                p = attribute(p, start, attributes);
            }
        }
        pos = p;
        return element(start, rawName, attributes, empty);
    }

    /** Scans one {@code name="value"}; returns the position after the closing quote. */
    private int attribute(int nameStart, int tagStart, List<RawAttribute> attributes) {
        int p = qualifiedName(nameStart, tagStart);
        String name = doc.substring(nameStart, p);
        while (p < n && isSpace(doc.charAt(p))) {
            p++;
        }
        if (p >= n) {
            throw fail(Error.UNCLOSED_TOKEN, tagStart);
        }
        if (doc.charAt(p) != '=') {
            throw fail(Error.INVALID_TOKEN, p);
        }
        p++;
        while (p < n && isSpace(doc.charAt(p))) {
            p++;
        }
        if (p >= n) {
            throw fail(Error.UNCLOSED_TOKEN, tagStart);
        }
        char quote = doc.charAt(p);
        if (quote != '"' && quote != '\'') {
            throw fail(Error.INVALID_TOKEN, p);
        }
        int valueStart = ++p;
        while (true) {
            if (p >= n) {
                throw fail(Error.UNCLOSED_TOKEN, tagStart);
            }
            int c = codePoint(p);
            if (c == quote) {
                break;
            }
            if (c == '<' || isNonXml(c)) {
                throw fail(Error.INVALID_TOKEN, p);
            }
            if (c == '&') {
                p = scanReference(p, tagStart);
            } else {
                p += Character.charCount(c);
            }
        }
        attributes.add(new RawAttribute(name, nameStart, valueStart, p));
        p++;
        if (p >= n) {
            throw fail(Error.UNCLOSED_TOKEN, tagStart);
        }
        char next = doc.charAt(p);
        if (!isSpace(next) && next != '/' && next != '>') {
            throw fail(Error.INVALID_TOKEN, p);
        }
        return p;
    }

    /**
     * Scans a name with at most one colon, followed by a character that is not a name character;
     * returns the position after the name.
     */
    private int qualifiedName(int p, int tokenStart) {
        boolean hadColon = false;
        p += Character.charCount(codePoint(p));
        while (p < n) {
            int c = codePoint(p);
            if (c == ':') {
                if (hadColon) {
                    throw fail(Error.INVALID_TOKEN, p);
                }
                hadColon = true;
                p++;
                if (p >= n) {
                    throw fail(Error.UNCLOSED_TOKEN, tokenStart);
                }
                if (!isNameStart(codePoint(p))) {
                    throw fail(Error.INVALID_TOKEN, p);
                }
                p += Character.charCount(codePoint(p));
            } else if (isNameChar(c)) {
                p += Character.charCount(c);
            } else {
                return p;
            }
        }
        throw fail(Error.UNCLOSED_TOKEN, tokenStart);
    }

    private XmlElement element(int start, String rawName, List<RawAttribute> raw, boolean empty) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> bindings = new HashMap<>();
        List<String> prefixed = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (RawAttribute attribute : raw) {
            if (!seen.add(attribute.name())) {
                throw fail(Error.DUPLICATE_ATTRIBUTE, attribute.nameStart());
            }
            String value = attributeValue(attribute, start);
            String name = attribute.name();
            if (name.equals("xmlns")) {
                bindings.put("", value);
            } else if (name.startsWith("xmlns:")) {
                if (value.isEmpty()) {
                    throw fail(Error.UNDECLARING_PREFIX, start);
                }
                bindings.put(name.substring(6), value);
            } else {
                values.put(name, value);
                if (name.indexOf(':') >= 0) {
                    prefixed.add(name);
                }
            }
        }
        Open parent = open.peek();
        Map<String, String> scope = new HashMap<>(parent == null ? Map.of() : parent.bindings());
        scope.putAll(bindings);
        Map<String, String> attributes = new LinkedHashMap<>();
        Set<String> expanded = new HashSet<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            String name = entry.getKey();
            String key = name;
            if (prefixed.contains(name)) {
                int colon = name.indexOf(':');
                String uri = resolve(name.substring(0, colon), scope);
                if (uri == null) {
                    throw fail(Error.UNBOUND_PREFIX, start);
                }
                key = "{" + uri + "}" + name.substring(colon + 1);
            }
            if (!expanded.add(key)) {
                throw fail(Error.DUPLICATE_ATTRIBUTE, start);
            }
            attributes.put(key, entry.getValue());
        }
        String tag;
        int colon = rawName.indexOf(':');
        if (colon >= 0) {
            String uri = resolve(rawName.substring(0, colon), scope);
            if (uri == null) {
                throw fail(Error.UNBOUND_PREFIX, start);
            }
            tag = "{" + uri + "}" + rawName.substring(colon + 1);
        } else {
            String uri = scope.get("");
            tag = uri == null || uri.isEmpty() ? rawName : "{" + uri + "}" + rawName;
        }
        XmlElement element = new XmlElement(tag, attributes);
        if (parent != null) {
            parent.element().addChild(element);
        }
        if (!empty) {
            open.push(new Open(element, rawName, scope));
        }
        return element;
    }

    private static @Nullable String resolve(String prefix, Map<String, String> scope) {
        if (prefix.equals("xml")) {
            return XML_NAMESPACE;
        }
        if (prefix.equals("xmlns")) {
            return null;
        }
        return scope.get(prefix);
    }

    /** The normalized value of an attribute: references replaced, each whitespace character a space. */
    private String attributeValue(RawAttribute attribute, int tagStart) {
        StringBuilder out = new StringBuilder();
        int p = attribute.valueStart();
        while (p < attribute.valueEnd()) {
            char c = doc.charAt(p);
            if (c == '&') {
                int end = doc.indexOf(';', p);
                out.append(referenceValue(p, end, tagStart));
                p = end + 1;
            } else if (c == '\r') {
                out.append(' ');
                p += p + 1 < attribute.valueEnd() && doc.charAt(p + 1) == '\n' ? 2 : 1;
            } else if (c == '\n' || c == '\t') {
                out.append(' ');
                p++;
            } else {
                out.append(c);
                p++;
            }
        }
        return out.toString();
    }

    private void endTag(int start) {
        int nameStart = start + 2;
        if (nameStart >= n) {
            throw fail(Error.UNCLOSED_TOKEN, start);
        }
        if (!isNameStart(codePoint(nameStart))) {
            throw fail(Error.INVALID_TOKEN, nameStart);
        }
        int p = nameStart;
        while (p < n && (isNameChar(codePoint(p)) || doc.charAt(p) == ':')) {
            p += Character.charCount(codePoint(p));
        }
        int nameEnd = p;
        while (true) {
            if (p >= n) {
                throw fail(Error.UNCLOSED_TOKEN, start);
            }
            char c = doc.charAt(p);
            if (c == '>') {
                break;
            }
            if (!isSpace(c)) {
                throw fail(Error.INVALID_TOKEN, p);
            }
            p++;
        }
        String rawName = doc.substring(nameStart, nameEnd);
        Open current = open.peek();
        if (!current.rawName().equals(rawName)) {
            throw fail(Error.TAG_MISMATCH, nameStart);
        }
        flushData();
        open.pop();
        pos = p + 1;
    }

    private void reference() {
        int start = pos;
        int end = scanReference(start, start);
        data.append(referenceValue(start, end - 1, start));
        pos = end;
    }

    /**
     * Checks the syntax of {@code &name;}, {@code &#123;} or {@code &#x7B;} at {@code p}; returns
     * the position after the semicolon.
     */
    private int scanReference(int p, int tokenStart) {
        int q = p + 1;
        if (q >= n) {
            throw fail(Error.UNCLOSED_TOKEN, tokenStart);
        }
        if (doc.charAt(q) == '#') {
            q++;
            if (q >= n) {
                throw fail(Error.UNCLOSED_TOKEN, tokenStart);
            }
            boolean hex = doc.charAt(q) == 'x';
            if (hex) {
                q++;
                if (q >= n) {
                    throw fail(Error.UNCLOSED_TOKEN, tokenStart);
                }
            }
            if (!isDigit(doc.charAt(q), hex)) {
                throw fail(Error.INVALID_TOKEN, q);
            }
            for (q++; q < n; q++) {
                char c = doc.charAt(q);
                if (c == ';') {
                    return q + 1;
                }
                if (!isDigit(c, hex)) {
                    throw fail(Error.INVALID_TOKEN, q);
                }
            }
            throw fail(Error.UNCLOSED_TOKEN, tokenStart);
        }
        if (!isNameStart(codePoint(q))) {
            throw fail(Error.INVALID_TOKEN, q);
        }
        q += Character.charCount(codePoint(q));
        while (q < n) {
            int c = codePoint(q);
            if (c == ';') {
                return q + 1;
            }
            if (!isNameChar(c)) {
                throw fail(Error.INVALID_TOKEN, q);
            }
            q += Character.charCount(c);
        }
        throw fail(Error.UNCLOSED_TOKEN, tokenStart);
    }

    /**
     * The replacement text of a syntactically valid reference from {@code amp} to the semicolon at
     * {@code semicolon}; an undefined entity is reported at {@code entityErrorAt}.
     */
    private String referenceValue(int amp, int semicolon, int entityErrorAt) {
        String body = doc.substring(amp + 1, semicolon);
        if (body.startsWith("#")) {
            boolean hex = body.startsWith("#x");
            long number = 0;
            for (int i = hex ? 2 : 1; i < body.length() && number <= 0x10FFFF; i++) {
                number = number * (hex ? 16 : 10) + Character.digit(body.charAt(i), hex ? 16 : 10);
            }
            if (number > 0x10FFFF || (number >= 0xD800 && number <= 0xDFFF) || number == 0xFFFE
                    || number == 0xFFFF || isNonXml((int) number)) {
                throw fail(Error.BAD_CHARACTER_REFERENCE, amp);
            }
            return Character.toString((int) number);
        }
        String value = PREDEFINED_ENTITIES.get(body);
        if (value == null) {
            throw fail(Error.UNDEFINED_ENTITY, entityErrorAt);
        }
        return value;
    }

    private int comment(int start) {
        int p = start + 3;
        if (p >= n) {
            throw fail(Error.UNCLOSED_TOKEN, start);
        }
        if (doc.charAt(p) != '-') {
            throw fail(Error.INVALID_TOKEN, p);
        }
        p++;
        while (p < n) {
            int c = codePoint(p);
            if (isNonXml(c)) {
                throw fail(Error.INVALID_TOKEN, p);
            }
            if (c == '-' && p + 1 < n && doc.charAt(p + 1) == '-') {
                if (p + 2 >= n) {
                    break;
                }
                if (doc.charAt(p + 2) != '>') {
                    throw fail(Error.INVALID_TOKEN, p + 2);
                }
                return p + 3;
            }
            p += Character.charCount(c);
        }
        throw fail(Error.UNCLOSED_TOKEN, start);
    }

    private int processingInstruction(int start) {
        int p = start + 2;
        if (p >= n) {
            throw fail(Error.UNCLOSED_TOKEN, start);
        }
        if (!isNameStart(codePoint(p))) {
            throw fail(Error.INVALID_TOKEN, p);
        }
        int targetStart = p;
        while (p < n && isNameChar(codePoint(p))) {
            p += Character.charCount(codePoint(p));
        }
        if (p >= n) {
            throw fail(Error.UNCLOSED_TOKEN, start);
        }
        String target = doc.substring(targetStart, p);
        char c = doc.charAt(p);
        if (c != '?' && !isSpace(c)) {
            throw fail(Error.INVALID_TOKEN, p);
        }
        boolean xmlDeclaration = target.equals("xml");
        if (!xmlDeclaration && target.equalsIgnoreCase("xml")) {
            throw fail(Error.INVALID_TOKEN, p);
        }
        if (c == '?') {
            p++;
            if (p >= n) {
                throw fail(Error.UNCLOSED_TOKEN, start);
            }
            if (doc.charAt(p) != '>') {
                throw fail(Error.INVALID_TOKEN, p);
            }
        } else {
            p++;
            while (true) {
                if (p >= n) {
                    throw fail(Error.UNCLOSED_TOKEN, start);
                }
                int d = codePoint(p);
                if (isNonXml(d)) {
                    throw fail(Error.INVALID_TOKEN, p);
                }
                if (d == '?' && p + 1 < n && doc.charAt(p + 1) == '>') {
                    p++;
                    break;
                }
                p += Character.charCount(d);
            }
        }
        if (xmlDeclaration) {
            throw fail(Error.MISPLACED_XML_DECLARATION, start);
        }
        return p + 1;
    }

    private void cdataSection(int start) {
        int p = start + 3;
        String keyword = "CDATA[";
        for (int i = 0; i < keyword.length(); i++, p++) {
            if (p >= n) {
                throw fail(Error.UNCLOSED_TOKEN, start);
            }
            if (doc.charAt(p) != keyword.charAt(i)) {
                throw fail(Error.INVALID_TOKEN, p);
            }
        }
        while (p < n) {
            if (doc.startsWith("]]>", p)) {
                pos = p + 3;
                return;
            }
            int c = codePoint(p);
            if (isNonXml(c)) {
                throw fail(Error.INVALID_TOKEN, p);
            }
            if (c == '\r') {
                data.append('\n');
                p += p + 1 < n && doc.charAt(p + 1) == '\n' ? 2 : 1;
            } else {
                data.appendCodePoint(c);
                p += Character.charCount(c);
            }
        }
        throw fail(Error.UNCLOSED_CDATA_SECTION, n);
    }

    // ---------------------------------------------------------------- after the root element

    /**
     * After the root element only white space, comments and processing instructions may follow.
     * Anything else is "junk" or an invalid token, depending on how expat's prolog tokenizer reads
     * it.
     */
    private void epilog() {
        while (pos < n) {
            int start = pos;
            int c = codePoint(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else if (c == '<') {
                pos = epilogMarkup(start);
            } else if (isNameChar(c) || c == ':') {
                int p = pos;
                while (p < n && (isNameChar(codePoint(p)) || doc.charAt(p) == ':')) {
                    p += Character.charCount(codePoint(p));
                }
                boolean name = isNameStart(c);
                throw junkOrInvalidAfter(start, p, name ? "> ),|[%\t\r\n+*?" : "> ),|[%\t\r\n");
            } else if (c == '#') {
                int p = pos + 1;
                if (p >= n || !isNameStart(codePoint(p))) {
                    throw fail(p >= n ? Error.UNCLOSED_TOKEN : Error.INVALID_TOKEN, p >= n ? start : p);
                }
                while (p < n && isNameChar(codePoint(p))) {
                    p += Character.charCount(codePoint(p));
                }
                throw junkOrInvalidAfter(start, p, " \t\r\n)|>%");
            } else if (c == '"' || c == '\'') {
                int p = pos + 1;
                while (p < n && doc.charAt(p) != c) {
                    if (isNonXml(codePoint(p))) {
                        throw fail(Error.INVALID_TOKEN, p);
                    }
                    p += Character.charCount(codePoint(p));
                }
                if (p >= n) {
                    throw fail(Error.UNCLOSED_TOKEN, start);
                }
                throw junkOrInvalidAfter(start, p + 1, " \t\r\n>%[");
            } else if ("[]()|,%>".indexOf(c) >= 0) {
                throw fail(Error.JUNK_AFTER_DOCUMENT_ELEMENT, start);
            } else {
                throw fail(Error.INVALID_TOKEN, start);
            }
        }
    }

    private int epilogMarkup(int start) {
        int p = start + 1;
        if (p >= n) {
            throw fail(Error.UNCLOSED_TOKEN, start);
        }
        char next = doc.charAt(p);
        if (next == '?') {
            return processingInstruction(start);
        }
        if (next >= 0x80 || isNameStart(next)) {
            throw fail(Error.JUNK_AFTER_DOCUMENT_ELEMENT, start);
        }
        if (next != '!') {
            throw fail(Error.INVALID_TOKEN, p);
        }
        p++;
        if (p >= n) {
            throw fail(Error.UNCLOSED_TOKEN, start);
        }
        char kind = doc.charAt(p);
        if (kind == '-') {
            return comment(start);
        }
        if (kind == '[') {
            throw fail(Error.JUNK_AFTER_DOCUMENT_ELEMENT, start);
        }
        if (!isAsciiLetter(kind)) {
            throw fail(Error.INVALID_TOKEN, p);
        }
        while (p < n && isAsciiLetter(doc.charAt(p))) {
            p++;
        }
        throw junkOrInvalidAfter(start, p, " \t\r\n");
    }

    /** A token ended at {@code end}: junk if a valid delimiter follows, else an invalid token there. */
    private XmlParseException junkOrInvalidAfter(int start, int end, String delimiters) {
        if (end < n && delimiters.indexOf(doc.charAt(end)) < 0) {
            return fail(Error.INVALID_TOKEN, end);
        }
        return fail(Error.JUNK_AFTER_DOCUMENT_ELEMENT, start);
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    // ---------------------------------------------------------------- characters and positions

    private int codePoint(int p) {
        return doc.codePointAt(p);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private static boolean isDigit(char c, boolean hex) {
        return (c >= '0' && c <= '9') || (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
    }

    /** Characters XML 1.0 forbids anywhere: most C0 controls, U+FFFE, U+FFFF and lone surrogates. */
    private static boolean isNonXml(int c) {
        return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF
                || (c >= 0xD800 && c <= 0xDFFF);
    }

    private static boolean isNameStart(int c) {
        if (c < 0x80) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        }
        return c <= 0xFFFF && (Character.isLetter(c) || Character.getType(c) == Character.LETTER_NUMBER);
    }

    private static boolean isNameChar(int c) {
        if (c < 0x80) {
            return isNameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
        }
        if (c > 0xFFFF) {
            return false;
        }
        if (c == 0xB7 || isNameStart(c) || Character.isDigit(c)) {
            return true;
        }
        int type = Character.getType(c);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK || type == Character.MODIFIER_LETTER;
    }

    private XmlParseException fail(Error error, int at) {
        int line = 1;
        int column = 0;
        for (int i = 0; i < at && i < n; i++) {
            char c = doc.charAt(i);
            if (c == '\n' || (c == '\r' && !(i + 1 < n && doc.charAt(i + 1) == '\n'))) {
                line++;
                column = 0;
            } else if (c != '\r' && !Character.isLowSurrogate(c)) {
                column++;
            }
        }
        return new XmlParseException(error, line, column);
    }
}
