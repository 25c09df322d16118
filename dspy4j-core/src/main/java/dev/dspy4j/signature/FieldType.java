package dev.dspy4j.signature;

import dev.dspy4j.internal.PythonFloats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * The type of a signature field, in DSPy's type vocabulary.
 *
 * <p>A closed set: {@code str}, {@code int}, {@code float}, {@code bool}, {@code list[T]},
 * {@code dict[K, V]}, {@code Literal[...]}, optional types, named enums and records, {@code Any},
 * {@code Code["language"]} ({@link CodeType}), and DSPy's other special types ({@code History},
 * {@code Reasoning}, {@code Citations}, ...). The type decides how a
 * value is rendered into a prompt, which note the prompt gives the LM, and how the LM's text is
 * parsed back.
 *
 * <p>All implementations are immutable and thread-safe.
 */
public sealed interface FieldType {

    /** {@code str}. */
    StrType STR = new StrType();
    /** {@code int}: parsed to {@link Long}. */
    IntType INT = new IntType();
    /** {@code float}: parsed to {@link Double}. */
    FloatType FLOAT = new FloatType();
    /** {@code bool}: parsed to {@link Boolean}. */
    BoolType BOOL = new BoolType();
    /** {@code Any}: any JSON-like value. */
    AnyType ANY = new AnyType();

    /**
     * The name DSPy shows the LM for this type, e.g. {@code list[str]} or
     * {@code Literal['yes', 'no']}.
     *
     * @return the Python spelling of this type
     */
    String pythonName();

    /** Whether {@code None}/{@code null} is a valid value of this type. */
    default boolean isOptional() {
        return false;
    }

    /** {@code str}. */
    record StrType() implements FieldType {
        @Override
        public String pythonName() {
            return "str";
        }
    }

    /** {@code int}. */
    record IntType() implements FieldType {
        @Override
        public String pythonName() {
            return "int";
        }
    }

    /** {@code float}. */
    record FloatType() implements FieldType {
        @Override
        public String pythonName() {
            return "float";
        }
    }

    /** {@code bool}. */
    record BoolType() implements FieldType {
        @Override
        public String pythonName() {
            return "bool";
        }
    }

    /** {@code Any}. */
    record AnyType() implements FieldType {
        @Override
        public String pythonName() {
            return "Any";
        }
    }

    /**
     * {@code list[T]}.
     *
     * @param element the type of every item
     */
    record ListType(FieldType element) implements FieldType {
        public ListType {
            Objects.requireNonNull(element, "element");
        }

        @Override
        public String pythonName() {
            return "list[" + element.pythonName() + "]";
        }
    }

    /**
     * {@code dict[K, V]}.
     *
     * @param key the key type (usually {@code str})
     * @param value the value type
     */
    record DictType(FieldType key, FieldType value) implements FieldType {
        public DictType {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String pythonName() {
            return "dict[" + key.pythonName() + ", " + value.pythonName() + "]";
        }
    }

    /**
     * {@code Literal['a', 'b']}: a value must equal one of these exactly.
     *
     * @param values the allowed values: strings, longs, doubles or booleans, in declared order
     *     (doubles are spelled as Python's {@code repr}: {@code Literal[0.5, 1.0]})
     */
    record LiteralType(List<Object> values) implements FieldType {
        public LiteralType {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("Literal[...] needs at least one value");
            }
            values = List.copyOf(values);
        }

        @Override
        public String pythonName() {
            StringJoiner joiner = new StringJoiner(", ", "Literal[", "]");
            for (Object value : values) {
                joiner.add(literalRepr(value));
            }
            return joiner.toString();
        }

        static String literalRepr(Object value) {
            if (value instanceof String s) {
                return s.contains("'") && !s.contains("\"") ? "\"" + s + "\"" : "'" + s.replace("'", "\\'") + "'";
            }
            if (value instanceof Boolean b) {
                return b ? "True" : "False";
            }
            if (value instanceof Double d) {
                return PythonFloats.repr(d);
            }
            return String.valueOf(value);
        }
    }

    /**
     * An optional type: the value may be {@code None}.
     *
     * <p>DSPy names {@code Optional[str]} {@code Union[str, NoneType]} and {@code str | None}
     * {@code UnionType[str, NoneType]}; the spelling is kept so prompts match DSPy's byte for byte.
     *
     * @param inner the type of a present value
     * @param pipeSpelling {@code true} for {@code X | None}, {@code false} for {@code Optional[X]}
     */
    record OptionalType(FieldType inner, boolean pipeSpelling) implements FieldType {
        public OptionalType {
            Objects.requireNonNull(inner, "inner");
        }

        @Override
        public String pythonName() {
            return (pipeSpelling ? "UnionType[" : "Union[") + inner.pythonName() + ", NoneType]";
        }

        @Override
        public boolean isOptional() {
            return true;
        }
    }

    /**
     * A named enumeration. The LM sees and produces member <em>values</em>; parsing also
     * accepts member names.
     *
     * @param name the type's name as shown to the LM
     * @param members member name to member value, in declared order
     * @param javaType the Java enum the values map to, or {@code null} for a dynamic type
     */
    record EnumType(String name, Map<String, String> members, @Nullable Class<? extends Enum<?>> javaType)
            implements FieldType {
        public EnumType {
            Objects.requireNonNull(name, "name");
            if (members.isEmpty()) {
                throw new IllegalArgumentException("enum " + name + " needs at least one member");
            }
            members = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(members));
        }

        @Override
        public String pythonName() {
            return name;
        }
    }

    /**
     * A named structured type (a pydantic model in DSPy, a record in Java).
     *
     * @param name the type's name as shown to the LM
     * @param fields field name (as the LM sees it) to field type, in declared order
     * @param javaType the Java record the values map to, or {@code null} for a dynamic type
     */
    record RecordType(String name, Map<String, FieldType> fields, @Nullable Class<? extends Record> javaType)
            implements FieldType {
        public RecordType {
            Objects.requireNonNull(name, "name");
            fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        @Override
        public String pythonName() {
            return name;
        }
    }

    /**
     * DSPy's {@code dspy.Code["language"]}: source code in a language, held by a {@link Code}
     * value. The LM is asked for a markdown code block, and parsing keeps the code inside the
     * block. Bare {@code dspy.Code} is Python code under the name {@code Code}.
     *
     * @param language the language as written in {@code Code[...]}, e.g. {@code python}; shown to
     *     the LM in the type description, and lower-cased as the fence's language tag
     * @param pythonName the type's name as shown to the LM: {@code Code_<language>}, or
     *     {@code Code} for bare {@code dspy.Code}
     */
    record CodeType(String language, String pythonName) implements FieldType {
        public CodeType {
            Objects.requireNonNull(language, "language");
            Objects.requireNonNull(pythonName, "pythonName");
            if (language.isBlank()) {
                throw new IllegalArgumentException("Code needs a language, e.g. Code[\"python\"]");
            }
        }

        /** {@code Code["language"]}, named {@code Code_<language>} as DSPy names it. */
        public static CodeType of(String language) {
            return new CodeType(language, "Code_" + language);
        }

        /** Bare {@code dspy.Code}: Python code, named {@code Code}. */
        public static CodeType bare() {
            return new CodeType("python", "Code");
        }
    }

    /**
     * One of DSPy's built-in special types. {@link Kind#REASONING} behaves as {@code str} (or is
     * produced natively by the model); {@link Kind#HISTORY} is an input that becomes conversation
     * turns.
     *
     * @param kind which special type
     */
    record SpecialType(Kind kind) implements FieldType {
        /** DSPy's special types. */
        public enum Kind {
            /** {@code dspy.History}: earlier turns of a conversation. */
            HISTORY("History"),
            /** {@code dspy.Reasoning}: free text, possibly produced natively by the model. */
            REASONING("str"),
            /** {@code dspy.Tool}. */
            TOOL("Tool"),
            /** {@code dspy.ToolCalls}. */
            TOOL_CALLS("ToolCalls"),
            /** {@code dspy.Image}. */
            IMAGE("Image"),
            /** {@code dspy.Audio}. */
            AUDIO("Audio"),
            /** {@code dspy.File}. */
            FILE("File"),
            /** {@code dspy.experimental.Document}. */
            DOCUMENT("Document"),
            /**
             * {@code dspy.experimental.Citations}: passages of the input documents the reply cites,
             * held by a {@link Citations} value.
             */
            CITATIONS("Citations");

            private final String pythonName;

            Kind(String pythonName) {
                this.pythonName = pythonName;
            }
        }

        @Override
        public String pythonName() {
            return kind.pythonName;
        }
    }

    /**
     * A type the user defines ({@code dspy.Type} in DSPy): its name, description, rendering,
     * parsing and JSON schema come from {@code type}.
     *
     * @param type the custom type
     */
    record Custom(CustomType<?> type) implements FieldType {
        public Custom {
            Objects.requireNonNull(type, "type");
        }

        @Override
        public String pythonName() {
            return type.name();
        }
    }
}
