package dev.dspy4j.adapter;

import dev.dspy4j.data.Example;
import dev.dspy4j.internal.python.PythonText;
import dev.dspy4j.internal.python.PythonValues;
import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.Message;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * DSPy's {@code XMLAdapter}: every field is wrapped in a tag named after it
 * ({@code <answer>\nParis\n</answer>}), and list, dict and record outputs are written as nested
 * XML ({@code <answers><item>a</item><item>b</item></answers>}). The text matches DSPy 3.3.1 byte
 * for byte.
 *
 * <p>Formatting: the system message lists the fields, shows each input as
 * {@code <name>\n{name}\n</name>}, each output likewise (with its type note) or as a nested
 * skeleton, and the instructions; there is no {@code completed} marker. The final user message
 * ends with {@code Respond with the corresponding output fields wrapped in XML tags `<a>`, then
 * `<b>`.}, plus {@code  Use this nested XML structure: ...} when some output is nested. In
 * {@code str} output values {@code &} and {@code <} are escaped.
 *
 * <p>Parsing: the reply is wrapped in {@code <dspy_root>...</dspy_root>} and read as strict XML;
 * a malformed reply fails with {@code Failed to parse XML: } and the parser's message, e.g.
 * {@code mismatched tag: line 2, column 17} (positions count the wrapper, as in DSPy). Children
 * are grouped by tag (or by the {@code key} of an {@code <entry>}), each output's value is rebuilt
 * from its type and then parsed like every DSPy adapter does ({@code parse_value}). Missing
 * optional outputs take their default.
 *
 * <p>Like DSPy's, this adapter is a kind of chat adapter: when a call fails for any reason other
 * than the LM itself failing, {@link Adapter#call} retries it with {@link JsonAdapter} unless the
 * fallback is turned off ({@link #withoutFallback()}). Native function calling is off, so tool
 * options are removed from requests.
 *
 * <p>Immutable and thread-safe.
 */
public final class XmlAdapter implements Adapter {

    /** The XML adapter with DSPy's defaults: falls back to {@link JsonAdapter}. */
    public static final XmlAdapter DEFAULT = new XmlAdapter(true);

    private static final String ROOT = "dspy_root";
    private static final Object SYSTEM_MESSAGE = new Object();
    private static final Object SYSTEM_MESSAGE_OBJECT = new Object();
    private static final Object REMINDER = new Object();
    private static final TurnWriter TURNS = new XmlTurns();

    private final boolean jsonFallback;

    private XmlAdapter(boolean jsonFallback) {
        this.jsonFallback = jsonFallback;
    }

    /**
     * This adapter without the fallback to {@link JsonAdapter}: a reply that cannot be parsed
     * fails the call (DSPy's {@code use_json_adapter_fallback=False}).
     */
    public XmlAdapter withoutFallback() {
        return jsonFallback ? new XmlAdapter(false) : this;
    }

    /** Whether a failed call is retried with {@link JsonAdapter} (the default). */
    public boolean usesJsonFallback() {
        return jsonFallback;
    }

    /** {@code XMLAdapter}, as DSPy names it in errors. */
    @Override
    public String name() {
        return "XMLAdapter";
    }

    /**
     * {@link JsonAdapter#WITHOUT_NATIVE_FUNCTION_CALLING}, as DSPy falls back from an
     * {@code XMLAdapter()} (whose native function calling is off), or {@code null} when made
     * {@link #withoutFallback()}.
     */
    @Override
    public @Nullable Adapter fallback() {
        return jsonFallback ? JsonAdapter.WITHOUT_NATIVE_FUNCTION_CALLING : null;
    }

    /** Removes the request's tools, as DSPy does when native function calling is off. */
    @Override
    public LmRequest prepare(Signature signature, LmRequest request, LmCapabilities capabilities) {
        return ChatAdapter.withoutTools(request, false);
    }

    @Override
    public String formatSystemMessage(Signature signature) {
        return signature.memo(SYSTEM_MESSAGE, s -> AdapterText.inputOutputDescriptions(s) + "\n" + fieldStructure(s)
                + "\n" + AdapterText.taskDescription(s));
    }

    /** The inputs as this adapter writes them in a user message (DSPy's {@code format_user_message_content}). */
    @Override
    public String formatUserMessageContent(Signature signature, Map<String, ?> values) {
        return TURNS.userContent(signature, values, "", false);
    }

    @Override
    public List<Message> format(Signature signature, List<Example> demos, Map<String, ?> inputs) {
        return Conversation.format(signature, signature.memo(SYSTEM_MESSAGE_OBJECT,
                s -> Message.system(formatSystemMessage(s))), demos, inputs, TURNS);
    }

    /**
     * The text of an assistant turn with these outputs, e.g. {@code <answer>\nA1\n</answer>}: what
     * a demo shows, and what this adapter expects back.
     *
     * @param signature the signature
     * @param outputs output values by name
     * @param missingFieldMessage the text for an absent output, or {@code null} for {@code None}
     * @return the turn's text
     */
    public String assistantContent(Signature signature, Map<String, ?> outputs, @Nullable String missingFieldMessage) {
        return TURNS.assistantContent(signature, outputs, missingFieldMessage);
    }

    /** The XML adapter's turn texts. */
    private static final class XmlTurns implements TurnWriter {
        @Override
        public String userContent(Signature signature, Map<String, ?> values, String prefix, boolean mainRequest) {
            Map<Field, Object> present = new LinkedHashMap<>();
            for (Field field : signature.inputs()) {
                if (values.containsKey(field.name())) {
                    present.put(field, values.get(field.name()));
                }
            }
            StringJoiner parts = new StringJoiner("\n\n");
            parts.add(prefix).add(fieldsWithValues(present));
            if (mainRequest) {
                parts.add(signature.memo(REMINDER, XmlAdapter::outputRequirements));
            }
            parts.add("");
            return PythonText.strip(parts.toString());
        }

        @Override
        public String assistantContent(Signature signature, Map<String, ?> values, @Nullable String missingFieldMessage) {
            Map<Field, Object> all = new LinkedHashMap<>();
            for (Field field : signature.outputs()) {
                all.put(field, values.containsKey(field.name()) ? values.get(field.name()) : missingFieldMessage);
            }
            return fieldsWithValues(all);
        }
    }

    /** The reminder at the end of the final user message. */
    static String outputRequirements(Signature signature) {
        StringJoiner tags = new StringJoiner(", then ");
        StringJoiner schemas = new StringJoiner(" ");
        boolean nested = false;
        for (Field field : signature.outputs()) {
            tags.add("`<" + field.name() + ">`");
            if (XmlValues.usesNestedXml(field.type())) {
                schemas.add(XmlValues.skeleton(field.name(), field.type()));
                nested = true;
            }
        }
        String message = "Respond with the corresponding output fields wrapped in XML tags " + tags + ".";
        return nested ? message + " Use this nested XML structure: " + schemas : message;
    }

    private static String fieldStructure(Signature signature) {
        StringJoiner inputs = new StringJoiner("\n\n");
        for (Field field : signature.inputs()) {
            inputs.add(fieldsWithValues(Map.of(field, AdapterText.placeholder(field))));
        }
        StringJoiner outputs = new StringJoiner("\n\n");
        for (Field field : signature.outputs()) {
            outputs.add(XmlValues.usesNestedXml(field.type())
                    ? XmlValues.skeleton(field.name(), field.type())
                    : fieldsWithValues(Map.of(field, AdapterText.placeholder(field))));
        }
        return "All interactions will be structured in the following way, with the appropriate values filled in."
                + "\n\n" + inputs + "\n\n" + outputs;
    }

    /**
     * DSPy's {@code XMLAdapter.format_field_with_value}: nested XML for list, dict and record
     * output values, else {@code <name>\nvalue\n</name>}; joined by blank lines and stripped.
     */
    private static String fieldsWithValues(Map<Field, Object> values) {
        StringJoiner out = new StringJoiner("\n\n");
        for (Map.Entry<Field, Object> entry : values.entrySet()) {
            Field field = entry.getKey();
            Object value = AdapterText.promptValue(field.type(), entry.getValue());
            if (field.isOutput() && XmlValues.usesNestedXml(field.type())) {
                Object plain = PythonValues.toJsonable(value);
                if (plain instanceof Map<?, ?> || plain instanceof List<?>) {
                    out.add(XmlValues.valueToXml(plain, field.name()));
                    continue;
                }
            }
            String formatted = PythonValues.formatFieldValue(field.type(), value);
            if (field.isOutput() && field.type() instanceof FieldType.StrType) {
                formatted = XmlValues.escape(formatted);
            }
            out.add("<" + field.name() + ">\n" + formatted + "\n</" + field.name() + ">");
        }
        return PythonText.strip(out.toString());
    }

    /**
     * Parses a reply such as {@code <answer>Paris</answer>\n<confidence>0.9</confidence>}.
     *
     * @throws AdapterParseException if the reply is not well-formed XML, an output does not fit its
     *     type, or a required output is missing
     */
    @Override
    public Map<String, Object> parse(Signature signature, String completion) {
        XmlElement root;
        try {
            root = XmlReader.parse("<" + ROOT + ">" + completion + "</" + ROOT + ">");
        } catch (XmlReader.XmlParseException e) {
            throw new AdapterParseException(name(), signature, completion, null,
                    "Failed to parse XML: " + e.getMessage());
        }
        Map<String, List<XmlElement>> elements = XmlValues.groupChildren(root);
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Field field : signature.outputs()) {
            List<XmlElement> found = elements.get(field.name());
            if (found != null) {
                fields.put(field.name(), parseField(signature, completion, field, found));
            }
        }
        return ChatAdapter.requireAllOutputs(name(), signature, completion, fields);
    }

    /**
     * Tries the field's type and then, for an optional, its inner type and an untyped reading, as
     * DSPy tries the schema and each of its {@code anyOf} branches.
     */
    private @Nullable Object parseField(Signature signature, String completion, Field field, List<XmlElement> found) {
        FieldType type = field.type();
        List<@Nullable FieldType> candidates = new ArrayList<>(3);
        candidates.add(type);
        if (type instanceof FieldType.OptionalType optional) {
            candidates.add(optional.inner());
            candidates.add(null); // no type: an untyped reading
        }
        Object value = null;
        for (int i = 0; ; i++) {
            try {
                value = XmlValues.elementsToValue(found, candidates.get(i));
                return parseValue(value, type);
            } catch (RuntimeException e) {
                if (i == candidates.size() - 1) {
                    throw new AdapterParseException(name(), signature, completion, null,
                            "Failed to parse field " + fieldRepr(field) + " with value " + PythonValues.str(value)
                                    + ": " + e.getMessage());
                }
            }
        }
    }

    /**
     * DSPy's {@code parse_value}, then, when that fails validation, pydantic's validation of the
     * rebuilt value as is. Enum and literal mismatches are not validation errors and fail at once.
     */
    private static @Nullable Object parseValue(@Nullable Object value, FieldType type) {
        try {
            return ValueParser.parseValue(value, type);
        } catch (IllegalArgumentException e) {
            if (type instanceof FieldType.EnumType || type instanceof FieldType.LiteralType) {
                throw e;
            }
            return ValueParser.validate(value, type);
        }
    }

    /** An approximation of pydantic's {@code FieldInfo} repr, which DSPy prints in field errors. */
    private static String fieldRepr(Field field) {
        StringBuilder out = new StringBuilder("annotation=").append(field.type().pythonName());
        if (field.hasDefault()) {
            out.append(" required=False default=").append(PythonValues.repr(field.defaultOrNull()));
        } else if (field.hasDefaultFactory()) {
            out.append(" required=False default_factory=").append(factoryName(field.defaultFactory().get().get()));
        } else {
            out.append(" required=True");
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        if (field.description() != null) {
            extra.put("desc", field.description());
        }
        extra.put("__dspy_field_type", "output");
        extra.put("prefix", field.prefix());
        if (field.description() == null) {
            extra.put("desc", field.savedDescription());
        }
        return out.append(" json_schema_extra=").append(PythonValues.repr(extra)).toString();
    }

    /** The Python name pydantic shows for a default factory, guessed from the value it makes ({@code list}, ...). */
    private static String factoryName(Object made) {
        Object value = PythonValues.toJsonable(made);
        return switch (value) {
            case null -> "NoneType";
            case List<?> l -> "list";
            case Map<?, ?> m -> "dict";
            case String s -> "str";
            case Boolean b -> "bool";
            case Double d -> "float";
            case Number n -> "int";
            default -> value.getClass().getSimpleName();
        };
    }

    /**
     * {@inheritDoc} A {@code Reasoning} or {@code Citations} output that the LM produces natively
     * leaves the prompt (see {@link ChatAdapter#formatRequest}).
     */
    @Override
    public LmRequest formatRequest(AdapterRequest request, LmCapabilities capabilities) {
        return ChatAdapter.formatRequest(this, false, null, request, capabilities);
    }

    /** {@inheritDoc} Native reasoning content and citations fill their outputs. */
    @Override
    public Map<String, Object> parse(AdapterRequest request, Choice choice, CallContext context) {
        return ChatAdapter.parseChoice(this, false, request.signature(), request.options(), choice, context);
    }

    @Override
    public String toString() {
        return "XMLAdapter(use_json_adapter_fallback=" + (jsonFallback ? "True" : "False") + ")";
    }
}
