package dev.dspy4j.tool;

import dev.dspy4j.internal.JsonTrees;
import dev.dspy4j.internal.python.PythonText;
import dev.dspy4j.internal.python.PythonValues;
import dev.dspy4j.signature.Desc;
import dev.dspy4j.signature.Name;
import dev.dspy4j.signature.Names;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/**
 * Derives tool argument schemas from Java types, exactly as pydantic renders the equivalent
 * Python annotation and as {@code dspy.Tool} then adjusts it: keys sorted (property order kept),
 * nested records inlined with their {@code title}, {@code required} and property titles, enums as
 * {@code Literal} ({@code enum} of their values), {@code Optional}/{@code @Nullable} as
 * {@code anyOf [T, null]}, and at the top level {@code default} then {@code description} appended
 * last. Also spells each type as DSPy shows it ({@code arg_types}).
 */
final class ToolSchemas {

    private ToolSchemas() {}

    /**
     * One derived argument.
     *
     * @param name the argument's name as the LM sees it
     * @param schema its JSON schema, {@code default} and {@code description} included
     * @param typeName its type as DSPy spells it, e.g. {@code list[str]}
     * @param desc its description, or {@code null}
     * @param javaType the Java type values are converted to
     */
    record Argument(String name, Map<String, Object> schema, String typeName, @Nullable String desc, Type javaType) {}

    static List<Argument> ofMethod(Method method) {
        List<Argument> out = new ArrayList<>();
        for (Parameter parameter : method.getParameters()) {
            String where = method.getDeclaringClass().getSimpleName() + "." + method.getName() + "(" + parameter.getName() + ")";
            Name name = parameter.getAnnotation(Name.class);
            if (name == null && !parameter.isNamePresent()) {
                throw new IllegalArgumentException("The parameter names of " + method + " were not compiled into its class;"
                        + " compile it with 'javac -parameters' (maven-compiler-plugin <parameters>true</parameters>)"
                        + " or name each parameter with @Name.");
            }
            String argName = name != null ? name.value() : Names.toSnakeCase(parameter.getName());
            out.add(argument(argName, parameter.getParameterizedType(), parameter.getAnnotatedType(),
                    parameter.getAnnotations(), where));
        }
        return out;
    }

    static List<Argument> ofRecord(Class<? extends Record> type) {
        List<Argument> out = new ArrayList<>();
        for (RecordComponent component : type.getRecordComponents()) {
            out.add(argument(promptName(component), component.getGenericType(), component.getAnnotatedType(),
                    component.getAnnotations(), type.getSimpleName() + "." + component.getName()));
        }
        return out;
    }

    private static Argument argument(String name, Type type, AnnotatedType annotated, Annotation[] annotations,
                                     String where) {
        boolean nullable = isNullable(annotated, annotations) && !isOptional(type);
        Map<String, Object> schema = new LinkedHashMap<>(nullable ? nullableSchema(type, where) : schemaOf(type, where));
        String typeName = nullable ? "Optional[" + typeName(type) + "]" : typeName(type);
        Default declared = find(annotations, Default.class);
        if (declared != null) {
            schema.put("default", parseDefault(declared.value(), schema, where));
        } else if (nullable || isOptional(type)) {
            schema.put("default", null);
        }
        Desc desc = find(annotations, Desc.class);
        if (desc != null) {
            schema.put("description", desc.value());
        }
        return new Argument(name, schema, typeName, desc == null ? null : desc.value(), type);
    }

    private static Map<String, Object> nullableSchema(Type type, String where) {
        return sorted(Map.of("anyOf", List.of(schemaOf(type, where), Map.of("type", "null"))));
    }

    /** The pydantic schema of a Java type, keys sorted, records inlined. */
    static Map<String, Object> schemaOf(Type type, String where) {
        return sorted(rawSchema(type, where, new LinkedHashSet<>()));
    }

    private static Map<String, Object> rawSchema(Type type, String where, Set<Class<?>> enclosing) {
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
            Type[] args = p.getActualTypeArguments();
            if (raw == Optional.class) {
                return Map.of("anyOf", List.of(rawSchema(args[0], where, enclosing), Map.of("type", "null")));
            }
            if (Collection.class.isAssignableFrom(raw)) {
                return Map.of("type", "array", "items", rawSchema(args[0], where, enclosing));
            }
            if (Map.class.isAssignableFrom(raw)) {
                return Map.of("type", "object", "additionalProperties", args[1] == Object.class
                        || args[1] instanceof WildcardType ? true : rawSchema(args[1], where, enclosing));
            }
            return rawSchema(raw, where, enclosing);
        }
        if (type instanceof GenericArrayType g) {
            return Map.of("type", "array", "items", rawSchema(g.getGenericComponentType(), where, enclosing));
        }
        if (type instanceof WildcardType w && w.getUpperBounds().length == 1) {
            return rawSchema(w.getUpperBounds()[0], where, enclosing);
        }
        if (!(type instanceof Class<?> c)) {
            throw new IllegalArgumentException("Type " + type.getTypeName() + " of " + where + " cannot be a tool argument;"
                    + " use String, numbers, boolean, List, Map, Optional, an enum or a record.");
        }
        String simple = simpleType(c);
        if (simple != null) {
            return Map.of("type", simple);
        }
        if (c == Object.class) {
            return Map.of();
        }
        if (c.isArray()) {
            return Map.of("type", "array", "items", rawSchema(c.getComponentType(), where, enclosing));
        }
        if (c.isEnum()) {
            List<Object> values = new ArrayList<>();
            for (Object constant : c.getEnumConstants()) {
                values.add(constant.toString());
            }
            return Map.of("type", "string", "enum", values);
        }
        if (Collection.class.isAssignableFrom(c)) {
            return Map.of("type", "array", "items", Map.of());
        }
        if (Map.class.isAssignableFrom(c)) {
            return Map.of("type", "object", "additionalProperties", true);
        }
        if (c.isRecord()) {
            return recordSchema(c, where, enclosing);
        }
        throw new IllegalArgumentException("Type " + c.getName() + " of " + where + " cannot be a tool argument;"
                + " use String, numbers, boolean, List, Map, Optional, an enum or a record.");
    }

    private static Map<String, Object> recordSchema(Class<?> type, String where, Set<Class<?>> enclosing) {
        if (!enclosing.add(type)) {
            throw new IllegalArgumentException("Record " + type.getName() + " of " + where
                    + " contains itself; a recursive record cannot be a tool argument.");
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (RecordComponent component : type.getRecordComponents()) {
            String name = promptName(component);
            String at = type.getSimpleName() + "." + component.getName();
            Type componentType = component.getGenericType();
            Annotation[] annotations = component.getAnnotations();
            boolean nullable = isNullable(component.getAnnotatedType(), annotations) && !isOptional(componentType);
            Map<String, Object> property = new LinkedHashMap<>(rawSchema(componentType, at, enclosing));
            if (nullable) {
                property = new LinkedHashMap<>(Map.of("anyOf", List.of(property, Map.of("type", "null"))));
            }
            property.put("title", PythonText.fieldTitle(name));
            Default declared = find(annotations, Default.class);
            if (declared != null) {
                property.put("default", parseDefault(declared.value(), property, at));
            } else if (nullable || isOptional(componentType)) {
                property.put("default", null);
            } else {
                required.add(name);
            }
            Desc desc = find(annotations, Desc.class);
            if (desc != null) {
                property.put("description", desc.value());
            }
            properties.put(name, property);
        }
        enclosing.remove(type);
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("title", type.getSimpleName());
        schema.put("properties", properties);
        if (!required.isEmpty()) {
            schema.put("required", required);
        }
        return schema;
    }

    private static @Nullable String simpleType(Class<?> c) {
        if (c == String.class || c == CharSequence.class || c == char.class || c == Character.class) {
            return "string";
        }
        if (c == int.class || c == long.class || c == short.class || c == byte.class || c == Integer.class
                || c == Long.class || c == Short.class || c == Byte.class || c == BigInteger.class) {
            return "integer";
        }
        if (c == double.class || c == float.class || c == Double.class || c == Float.class || c == BigDecimal.class) {
            return "number";
        }
        if (c == boolean.class || c == Boolean.class) {
            return "boolean";
        }
        return null;
    }

    /** Pydantic's key order: alphabetical, except the property names, which keep declaration order. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> sorted(Map<String, ?> schema) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : new TreeMap<>(schema).entrySet()) {
            Object value = e.getValue();
            if (e.getKey().equals("properties") && value instanceof Map<?, ?> properties) {
                Map<String, Object> kept = new LinkedHashMap<>();
                properties.forEach((k, v) -> kept.put((String) k, v instanceof Map<?, ?> m ? sorted((Map<String, ?>) m) : v));
                value = kept;
            } else if (e.getKey().equals("default") || e.getKey().equals("enum") || e.getKey().equals("required")) {
                // values, not schemas
            } else if (value instanceof Map<?, ?> m) {
                value = sorted((Map<String, ?>) m);
            } else if (value instanceof List<?> list) {
                List<Object> items = new ArrayList<>();
                for (Object item : list) {
                    items.add(item instanceof Map<?, ?> m ? sorted((Map<String, ?>) m) : item);
                }
                value = items;
            }
            out.put(e.getKey(), value);
        }
        return out;
    }

    /** The Python spelling of a Java type, as {@code dspy.Tool.arg_types} shows the annotation. */
    static String typeName(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
            Type[] args = p.getActualTypeArguments();
            if (raw == Optional.class) {
                return "Optional[" + typeName(args[0]) + "]";
            }
            if (Collection.class.isAssignableFrom(raw)) {
                return "list[" + typeName(args[0]) + "]";
            }
            if (Map.class.isAssignableFrom(raw)) {
                return "dict[" + typeName(args[0]) + ", " + typeName(args[1]) + "]";
            }
            return typeName(raw);
        }
        if (type instanceof GenericArrayType g) {
            return "list[" + typeName(g.getGenericComponentType()) + "]";
        }
        if (type instanceof WildcardType w && w.getUpperBounds().length == 1) {
            return typeName(w.getUpperBounds()[0]);
        }
        if (!(type instanceof Class<?> c)) {
            return "Any";
        }
        String simple = simpleType(c);
        if (simple != null) {
            return switch (simple) {
                case "string" -> "str";
                case "integer" -> "int";
                case "number" -> "float";
                default -> "bool";
            };
        }
        if (c.isArray()) {
            return "list[" + typeName(c.getComponentType()) + "]";
        }
        if (c.isEnum()) {
            StringJoiner joiner = new StringJoiner(", ", "Literal[", "]");
            for (Object constant : c.getEnumConstants()) {
                joiner.add(PythonValues.repr(constant.toString()));
            }
            return joiner.toString();
        }
        if (Collection.class.isAssignableFrom(c)) {
            return "list";
        }
        if (Map.class.isAssignableFrom(c)) {
            return "dict";
        }
        return c == Object.class ? "Any" : c.getSimpleName();
    }

    /** The Python spelling of the type a JSON schema describes, for tools built from a schema. */
    static String typeName(Map<?, ?> schema) {
        if (schema.get("anyOf") instanceof List<?> options) {
            List<String> names = new ArrayList<>();
            boolean withNull = false;
            for (Object option : options) {
                if (option instanceof Map<?, ?> m && "null".equals(m.get("type"))) {
                    withNull = true;
                } else if (option instanceof Map<?, ?> m) {
                    names.add(typeName(m));
                }
            }
            String inner = names.size() == 1 ? names.get(0) : "Union[" + String.join(", ", names) + "]";
            return withNull ? "Optional[" + inner + "]" : inner;
        }
        if (schema.get("enum") instanceof List<?> values && !values.isEmpty()) {
            StringJoiner joiner = new StringJoiner(", ", "Literal[", "]");
            values.forEach(v -> joiner.add(PythonValues.repr(v)));
            return joiner.toString();
        }
        return switch (schema.get("type") instanceof String type ? type : "") {
            case "string" -> "str";
            case "integer" -> "int";
            case "number" -> "float";
            case "boolean" -> "bool";
            case "null" -> "None";
            case "array" -> schema.get("items") instanceof Map<?, ?> items && !items.isEmpty()
                    ? "list[" + typeName(items) + "]" : "list";
            case "object" -> schema.get("title") instanceof String title ? title : "dict";
            default -> "Any";
        };
    }

    private static @Nullable Object parseDefault(String text, Map<String, Object> schema, String where) {
        if (acceptsString(schema)) {
            return text;
        }
        try {
            return PythonValues.toJsonable(JsonTrees.readJava(text));
        } catch (JacksonException e) {
            throw new IllegalArgumentException("@Default(\"" + text + "\") of " + where
                    + " is not JSON; write numbers, booleans, lists and null as JSON (strings need no quotes).", e);
        }
    }

    private static boolean acceptsString(Map<?, ?> schema) {
        if ("string".equals(schema.get("type"))) {
            return true;
        }
        if (schema.get("anyOf") instanceof List<?> options) {
            for (Object option : options) {
                if (option instanceof Map<?, ?> m && acceptsString(m)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String promptName(RecordComponent component) {
        Name name = component.getAnnotation(Name.class);
        return name != null ? name.value() : Names.toSnakeCase(component.getName());
    }

    private static boolean isOptional(Type type) {
        return type instanceof ParameterizedType p && p.getRawType() == Optional.class;
    }

    private static boolean isNullable(AnnotatedType type, Annotation[] declared) {
        for (Annotation a : type.getAnnotations()) {
            if (a.annotationType().getSimpleName().equals("Nullable")) {
                return true;
            }
        }
        for (Annotation a : declared) {
            if (a.annotationType().getSimpleName().equals("Nullable")) {
                return true;
            }
        }
        return false;
    }

    private static <A extends Annotation> @Nullable A find(Annotation[] annotations, Class<A> type) {
        for (Annotation a : annotations) {
            if (type.isInstance(a)) {
                return type.cast(a);
            }
        }
        return null;
    }
}
