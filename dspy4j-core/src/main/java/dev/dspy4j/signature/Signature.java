package dev.dspy4j.signature;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * What a language-model call takes and produces: ordered input fields, ordered output fields, and
 * an instruction. The Java counterpart of {@code dspy.Signature}.
 *
 * <p>Build one from DSPy's shorthand ({@link #parse(String)}, e.g.
 * {@code "question, context: list[str] -> answer: int"}), from Java records
 * ({@link #fromRecords(Class, Class)}), or field by field ({@link #of(String, List)}).
 *
 * <p>Immutable and thread-safe: every edit returns a new signature. Two signatures are equal when
 * their instructions and fields (name, role, type, description, prefix) are equal; the name is a
 * label only.
 */
public final class Signature {

    private final String name;
    private final String instructions;
    private final List<Field> fields;
    private final List<Field> inputs;
    private final List<Field> outputs;
    private final Map<String, Field> byName;
    private final ConcurrentHashMap<Object, Object> memo = new ConcurrentHashMap<>(4);

    private Signature(String name, @Nullable String instructions, List<Field> fields) {
        this.name = Objects.requireNonNull(name, "name");
        List<Field> in = new ArrayList<>();
        List<Field> out = new ArrayList<>();
        Map<String, Field> names = new LinkedHashMap<>();
        for (Field field : fields) {
            Objects.requireNonNull(field, "field");
            if (names.putIfAbsent(field.name(), field) != null) {
                throw new SignatureException("Field '" + field.name() + "' appears twice in signature " + name
                        + "; every input and output needs its own name.");
            }
            (field.isInput() ? in : out).add(field);
        }
        this.inputs = List.copyOf(in);
        this.outputs = List.copyOf(out);
        List<Field> ordered = new ArrayList<>(in);
        ordered.addAll(out);
        this.fields = List.copyOf(ordered);
        this.byName = Collections.unmodifiableMap(names);
        this.instructions = instructions == null ? defaultInstructions(this.inputs, this.outputs) : instructions;
    }

    /**
     * A signature from fields. Inputs are placed before outputs, each keeping its order.
     *
     * @param instructions the task instruction, or {@code null} for DSPy's default
     *     ({@code Given the fields `a`, produce the fields `b`.})
     * @param fields the fields
     * @return the signature
     * @throws SignatureException if two fields share a name
     */
    public static Signature of(@Nullable String instructions, List<Field> fields) {
        return new Signature("StringSignature", instructions, fields);
    }

    /**
     * Parses DSPy's shorthand, e.g. {@code "question, context: list[str] -> answer: int"}.
     *
     * @param shorthand inputs, {@code ->}, outputs; each a comma-separated list of
     *     {@code name} or {@code name: type}
     * @return the signature with DSPy's default instructions
     * @throws SignatureException naming the position of the problem if the string is malformed,
     *     a name repeats, or a type is unknown
     */
    public static Signature parse(String shorthand) {
        return parse(shorthand, TypeRegistry.EMPTY);
    }

    /**
     * Parses DSPy's shorthand, resolving named types (enums, records) through {@code types}.
     *
     * @param shorthand the shorthand string
     * @param types named types the string may use, e.g. {@code "answer: Category"}
     * @return the signature with DSPy's default instructions
     * @throws SignatureException naming the position of the problem
     */
    public static Signature parse(String shorthand, TypeRegistry types) {
        return new Signature("StringSignature", null, ShorthandParser.parse(shorthand, types));
    }

    /**
     * A signature from two Java records: the components of {@code inputs} become input fields and
     * those of {@code outputs} output fields, in declaration order.
     *
     * <p>Component names map to prompt names in snake case ({@code ticketText} to
     * {@code ticket_text}) unless annotated with {@link Name}. {@link Desc} gives a field's
     * description; {@link Instructions} on either record gives the instruction. Types map as
     * {@code String} to {@code str}, integral types to {@code int}, {@code double}/{@code float}
     * to {@code float}, {@code boolean} to {@code bool}, {@code List<T>} to {@code list[T]},
     * {@code Map<K, V>} to {@code dict[K, V]}, {@code Optional<T>} to {@code T | None}, enums
     * (values from {@code toString()}) and nested records to named types.
     *
     * @param inputs the record whose components are the inputs
     * @param outputs the record whose components are the outputs
     * @return the signature, named after the outputs record
     * @throws SignatureException if a component has a type with no DSPy counterpart, or names
     *     collide, or both records carry {@link Instructions}
     */
    public static Signature fromRecords(Class<? extends Record> inputs, Class<? extends Record> outputs) {
        return RecordSignatures.fromRecords(inputs, outputs);
    }

    static Signature named(String name, @Nullable String instructions, List<Field> fields) {
        return new Signature(name, instructions, fields);
    }

    /** The label of this signature (a class name, or {@code StringSignature}). */
    public String name() {
        return name;
    }

    /** The instruction text given to the LM. Never {@code null}. */
    public String instructions() {
        return instructions;
    }

    /** All fields, inputs first, in order. */
    public List<Field> fields() {
        return fields;
    }

    /** The input fields in order. */
    public List<Field> inputs() {
        return inputs;
    }

    /** The output fields in order. */
    public List<Field> outputs() {
        return outputs;
    }

    /**
     * The field with this name.
     *
     * @throws SignatureException if there is none
     */
    public Field field(String fieldName) {
        Field field = byName.get(fieldName);
        if (field == null) {
            throw new SignatureException("Signature " + shorthand() + " has no field '" + fieldName + "'.");
        }
        return field;
    }

    /** Whether a field with this name exists. */
    public boolean hasField(String fieldName) {
        return byName.containsKey(fieldName);
    }

    /** DSPy's {@code .signature} text: {@code "a, b -> c"}. */
    public String shorthand() {
        StringBuilder out = new StringBuilder();
        appendNames(out, inputs);
        out.append(" -> ");
        appendNames(out, outputs);
        return out.toString();
    }

    /** This signature with other instructions. */
    public Signature withInstructions(String newInstructions) {
        return new Signature(name, Objects.requireNonNull(newInstructions, "instructions"), fields);
    }

    /** This signature with {@code more} appended to its instructions after a blank line. */
    public Signature appendInstructions(String more) {
        return withInstructions(instructions + "\n\n" + more);
    }

    /** This signature with a new name (a label only). */
    public Signature withName(String newName) {
        return new Signature(newName, instructions, fields);
    }

    /** This signature with {@code field} first among the inputs or the outputs (by its role). */
    public Signature prepend(Field field) {
        return insert(0, field);
    }

    /** This signature with {@code field} last among the inputs or the outputs (by its role). */
    public Signature append(Field field) {
        return insert(-1, field);
    }

    /**
     * This signature with {@code field} inserted among the fields of its role.
     *
     * @param index position among the inputs (or outputs); negative counts from the end, so
     *     {@code -1} appends
     * @param field the field to insert
     * @throws SignatureException if the index is out of range or the name is taken
     */
    public Signature insert(int index, Field field) {
        List<Field> group = new ArrayList<>(field.isInput() ? inputs : outputs);
        int at = index < 0 ? group.size() + 1 + index : index;
        if (at < 0 || at > group.size()) {
            throw new SignatureException("Cannot insert field '" + field.name() + "' at index " + index + ": there are "
                    + group.size() + " " + (field.isInput() ? "inputs" : "outputs") + ".");
        }
        group.add(at, field);
        List<Field> all = new ArrayList<>(field.isInput() ? group : inputs);
        all.addAll(field.isInput() ? outputs : group);
        return new Signature(name, instructions, all);
    }

    /**
     * This signature without the named field.
     *
     * @throws SignatureException if there is no such field
     */
    public Signature delete(String fieldName) {
        field(fieldName);
        List<Field> kept = new ArrayList<>(fields);
        kept.removeIf(f -> f.name().equals(fieldName));
        return new Signature(name, instructions, kept);
    }

    /**
     * This signature with one field replaced by {@code edit(field)}, in place.
     *
     * @throws SignatureException if there is no such field
     */
    public Signature withField(String fieldName, UnaryOperator<Field> edit) {
        field(fieldName);
        List<Field> edited = new ArrayList<>(fields.size());
        for (Field f : fields) {
            edited.add(f.name().equals(fieldName) ? Objects.requireNonNull(edit.apply(f), "edited field") : f);
        }
        return new Signature(name, instructions, edited);
    }

    /**
     * A value derived from this signature and memoized on it, e.g. an adapter's rendered system
     * message. The function must be pure; it may run more than once under contention.
     *
     * @param key identifies what is derived (use a private constant)
     * @param derive computes the value
     * @param <T> the value's type
     * @return the memoized value
     */
    @SuppressWarnings("unchecked")
    public <T> T memo(Object key, Function<Signature, T> derive) {
        Object value = memo.get(key);
        if (value == null) {
            value = derive.apply(this);
            Object raced = memo.putIfAbsent(key, value);
            if (raced != null) {
                value = raced;
            }
        }
        return (T) value;
    }

    private static String defaultInstructions(List<Field> in, List<Field> out) {
        StringBuilder text = new StringBuilder("Given the fields ");
        appendQuoted(text, in);
        text.append(", produce the fields ");
        appendQuoted(text, out);
        return text.append('.').toString();
    }

    private static void appendQuoted(StringBuilder out, List<Field> group) {
        for (int i = 0; i < group.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append('`').append(group.get(i).name()).append('`');
        }
    }

    private static void appendNames(StringBuilder out, List<Field> group) {
        for (int i = 0; i < group.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(group.get(i).name());
        }
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return this == o || (o instanceof Signature other
                && instructions.equals(other.instructions) && fields.equals(other.fields));
    }

    @Override
    public int hashCode() {
        return 31 * instructions.hashCode() + fields.hashCode();
    }

    @Override
    public String toString() {
        return name + "(" + shorthand() + ")";
    }
}
