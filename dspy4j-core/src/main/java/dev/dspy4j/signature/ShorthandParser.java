package dev.dspy4j.signature;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Parses {@code "a, b: list[str] -> c: int"} into fields, with errors that name the position. */
final class ShorthandParser {

    /** A Python int literal (no underscores). */
    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");
    /** A Python float literal: {@code 0.5}, {@code 1.}, {@code .5}, {@code 1e-3}, {@code -2.5E+10}. */
    private static final Pattern FLOAT =
            Pattern.compile("[-+]?(\\d+\\.\\d*|\\.\\d+|\\d+(?=[eE]))([eE][-+]?\\d+)?");

    private final String text;
    private final TypeRegistry types;
    private int pos;

    private ShorthandParser(String text, TypeRegistry types) {
        this.text = text;
        this.types = types;
    }

    static List<Field> parse(String shorthand, TypeRegistry types) {
        if (shorthand == null) {
            throw new SignatureException("The signature string is null; write it as \"inputs -> outputs\".");
        }
        int arrow = shorthand.indexOf("->");
        if (arrow < 0) {
            throw new SignatureException("Signature \"" + shorthand
                    + "\" has no '->'; write it as \"inputs -> outputs\", e.g. \"question -> answer\".");
        }
        int second = shorthand.indexOf("->", arrow + 2);
        if (second >= 0) {
            throw new SignatureException("Signature \"" + shorthand + "\" has a second '->' at position " + second
                    + "; use exactly one.");
        }
        ShorthandParser parser = new ShorthandParser(shorthand, types);
        List<Field> fields = new ArrayList<>();
        parser.parseGroup(0, arrow, Field.Role.INPUT, fields);
        parser.parseGroup(arrow + 2, shorthand.length(), Field.Role.OUTPUT, fields);
        Set<String> seen = new HashSet<>();
        for (Field field : fields) {
            if (!seen.add(field.name())) {
                throw new SignatureException("Signature \"" + shorthand + "\" uses the name '" + field.name()
                        + "' twice; each input and output needs its own name.");
            }
        }
        if (fields.stream().noneMatch(Field::isOutput)) {
            throw new SignatureException("Signature \"" + shorthand + "\" has no output field after '->'.");
        }
        return fields;
    }

    static FieldType parseType(String expression, TypeRegistry types) {
        ShorthandParser parser = new ShorthandParser(expression, types);
        FieldType type = parser.type();
        parser.skipSpaces();
        if (parser.pos != expression.length()) {
            throw parser.error("unexpected '" + expression.charAt(parser.pos) + "' after the type");
        }
        return type;
    }

    private void parseGroup(int start, int end, Field.Role role, List<Field> out) {
        pos = start;
        skipSpaces();
        if (pos >= end) {
            return; // an empty group: "-> answer" has no inputs
        }
        while (true) {
            skipSpaces();
            int nameStart = pos;
            while (pos < end && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                pos++;
            }
            if (pos == nameStart) {
                throw error(pos < end ? "expected a field name but found '" + text.charAt(pos) + "'"
                        : "expected a field name");
            }
            String name = text.substring(nameStart, pos);
            if (Character.isDigit(name.charAt(0))) {
                throw error(nameStart, "field name '" + name + "' must not start with a digit");
            }
            skipSpaces();
            FieldType type = FieldType.STR;
            boolean declared = false;
            if (pos < end && text.charAt(pos) == ':') {
                pos++;
                type = type(end);
                declared = true;
                skipSpaces();
            }
            Optional<Object> noDefault = Optional.empty();
            out.add(new Field(name, role, type, null, Names.inferPrefix(name) + ":", declared, noDefault));
            if (pos >= end) {
                return;
            }
            if (text.charAt(pos) != ',') {
                throw error("expected ',' or '->' but found '" + text.charAt(pos) + "'");
            }
            pos++;
        }
    }

    private FieldType type() {
        return type(text.length());
    }

    private FieldType type(int end) {
        FieldType first = simpleType(end);
        skipSpaces();
        if (pos < end && text.charAt(pos) == '|') {
            pos++;
            skipSpaces();
            int at = pos;
            String other = identifier(end);
            if (!other.equals("None")) {
                throw error(at, "only 'X | None' unions are supported; found '" + other + "'");
            }
            return new FieldType.OptionalType(first, true);
        }
        return first;
    }

    private FieldType simpleType(int end) {
        skipSpaces();
        int at = pos;
        String name = identifier(end);
        if (name.startsWith("typing.")) {
            name = name.substring("typing.".length());
        }
        skipSpaces();
        boolean generic = pos < end && text.charAt(pos) == '[';
        FieldType type = switch (name) {
            case "str" -> FieldType.STR;
            case "int" -> FieldType.INT;
            case "float" -> FieldType.FLOAT;
            case "bool" -> FieldType.BOOL;
            case "Any" -> FieldType.ANY;
            case "list", "List" -> generic ? new FieldType.ListType(oneArgument(end)) : new FieldType.ListType(FieldType.ANY);
            case "dict", "Dict" -> {
                if (!generic) {
                    yield new FieldType.DictType(FieldType.STR, FieldType.ANY);
                }
                expect('[');
                FieldType key = type(end);
                expect(',');
                FieldType value = type(end);
                expect(']');
                yield new FieldType.DictType(key, value);
            }
            case "Optional" -> new FieldType.OptionalType(oneArgument(end), false);
            case "Union" -> union(end, at);
            case "Literal" -> literal(end);
            case "dspy.History", "History" -> special(FieldType.SpecialType.Kind.HISTORY);
            case "dspy.Reasoning", "Reasoning" -> special(FieldType.SpecialType.Kind.REASONING);
            case "dspy.Tool", "Tool" -> special(FieldType.SpecialType.Kind.TOOL);
            case "dspy.ToolCalls", "ToolCalls" -> special(FieldType.SpecialType.Kind.TOOL_CALLS);
            case "dspy.Image", "Image" -> special(FieldType.SpecialType.Kind.IMAGE);
            case "dspy.Audio", "Audio" -> special(FieldType.SpecialType.Kind.AUDIO);
            case "dspy.File", "File" -> special(FieldType.SpecialType.Kind.FILE);
            case "dspy.experimental.Document", "Document" -> special(FieldType.SpecialType.Kind.DOCUMENT);
            case "dspy.Code", "Code" -> generic ? codeType(end) : FieldType.CodeType.bare();
            case "dspy.experimental.Citations", "dspy.Citations", "Citations" ->
                    special(FieldType.SpecialType.Kind.CITATIONS);
            default -> {
                FieldType registered = types.lookup(name);
                if (registered == null) {
                    throw error(at, "unknown type '" + name + "'; use str, int, float, bool, list[T], dict[K, V], "
                            + "Literal[...], Optional[T], T | None, or register it with TypeRegistry");
                }
                yield registered;
            }
        };
        if (generic && !isGenericName(name)) {
            throw error(pos, "type '" + name + "' takes no type arguments");
        }
        return type;
    }

    private static boolean isGenericName(String name) {
        return switch (name) {
            case "list", "List", "dict", "Dict", "Optional", "Union", "Literal", "dspy.Code", "Code" -> true;
            default -> false;
        };
    }

    private static FieldType special(FieldType.SpecialType.Kind kind) {
        return new FieldType.SpecialType(kind);
    }

    private FieldType oneArgument(int end) {
        expect('[');
        FieldType inner = type(end);
        expect(']');
        return inner;
    }

    private FieldType union(int end, int at) {
        expect('[');
        FieldType first = type(end);
        expect(',');
        skipSpaces();
        int noneAt = pos;
        String none = identifier(end);
        if (!none.equals("None") && !none.equals("NoneType")) {
            throw error(noneAt, "only Union[X, None] is supported; found '" + none + "'");
        }
        expect(']');
        return new FieldType.OptionalType(first, false);
    }

    private FieldType literal(int end) {
        expect('[');
        List<Object> values = new ArrayList<>();
        while (true) {
            skipSpaces();
            if (pos >= end) {
                throw error("unterminated Literal[...]");
            }
            char c = text.charAt(pos);
            if (c == '\'' || c == '"') {
                int close = text.indexOf(c, pos + 1);
                if (close < 0 || close >= end) {
                    throw error("unterminated string in Literal[...]");
                }
                values.add(text.substring(pos + 1, close));
                pos = close + 1;
            } else {
                int start = pos;
                while (pos < end && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '-'
                        || text.charAt(pos) == '+' || text.charAt(pos) == '.')) {
                    pos++;
                }
                String token = text.substring(start, pos);
                if (token.equals("True") || token.equals("False")) {
                    values.add(token.equals("True"));
                } else if (INTEGER.matcher(token).matches()) {
                    try {
                        values.add(Long.parseLong(token));
                    } catch (NumberFormatException e) {
                        throw error(start, "Literal integer '" + token + "' does not fit a long");
                    }
                } else if (FLOAT.matcher(token).matches()) {
                    values.add(Double.parseDouble(token));
                } else {
                    throw error(start, "Literal values must be quoted strings, integers, floats, True or False; "
                            + "found '" + token + "'");
                }
            }
            skipSpaces();
            if (pos < end && text.charAt(pos) == ',') {
                pos++;
                continue;
            }
            expect(']');
            return new FieldType.LiteralType(values);
        }
    }

    /**
     * {@code Code["python"]} (single or double quotes). An unquoted {@code Code[python]} is refused
     * as DSPy refuses it ({@code Unknown name: python}).
     */
    private FieldType codeType(int end) {
        expect('[');
        skipSpaces();
        int at = pos;
        char quote = pos < end ? text.charAt(pos) : ' ';
        if (quote != '\'' && quote != '"') {
            String name = pos < end && Character.isLetter(text.charAt(pos)) ? identifier(end) : "";
            throw error(at, "the language of Code[...] must be a quoted string, e.g. Code[\"" + (name.isEmpty()
                    ? "python" : name) + "\"]" + (name.isEmpty() ? "" : " (DSPy rejects the bare name: Unknown name: "
                    + name + ")"));
        }
        int close = text.indexOf(quote, pos + 1);
        if (close < 0 || close >= end) {
            throw error("unterminated string in Code[...]");
        }
        String language = text.substring(pos + 1, close);
        if (language.isBlank()) {
            throw error(at, "Code[...] needs a language, e.g. Code[\"python\"]");
        }
        pos = close + 1;
        expect(']');
        return FieldType.CodeType.of(language);
    }

    private String identifier(int end) {
        int start = pos;
        while (pos < end && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_'
                || text.charAt(pos) == '.')) {
            pos++;
        }
        if (start == pos) {
            throw error(pos < end ? "expected a type name but found '" + text.charAt(pos) + "'" : "expected a type name");
        }
        return text.substring(start, pos);
    }

    private void expect(char c) {
        skipSpaces();
        if (pos >= text.length() || text.charAt(pos) != c) {
            throw error("expected '" + c + "'" + (pos < text.length() ? " but found '" + text.charAt(pos) + "'" : ""));
        }
        pos++;
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private SignatureException error(String what) {
        return error(pos, what);
    }

    private SignatureException error(int at, String what) {
        return new SignatureException("Cannot parse signature \"" + text + "\" at position " + at + ": " + what + ".");
    }
}
