package dev.dspy4j.internal.records;

import dev.dspy4j.signature.Name;
import dev.dspy4j.signature.Names;
import dev.dspy4j.signature.Reasoning;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Converts Java records to and from maps keyed by prompt names ({@code @Name}, else snake case),
 * which is how records appear to the LM and in examples and predictions. Reflection data is
 * computed once per record class. Not public API.
 */
public final class RecordValues {

    private RecordValues() {}

    private record Shape(String[] names, Method[] accessors, Type[] types, Constructor<?> constructor) {}

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            String[] names = new String[components.length];
            Method[] accessors = new Method[components.length];
            Type[] types = new Type[components.length];
            Class<?>[] raw = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                Name name = components[i].getAnnotation(Name.class);
                names[i] = name != null ? name.value() : Names.toSnakeCase(components[i].getName());
                accessors[i] = components[i].getAccessor();
                types[i] = components[i].getGenericType();
                raw[i] = components[i].getType();
                trySetAccessible(accessors[i]);
            }
            try {
                Constructor<?> constructor = type.getDeclaredConstructor(raw);
                trySetAccessible(constructor);
                return new Shape(names, accessors, types, constructor);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("Record " + type.getName() + " has no canonical constructor", e);
            }
        }
    };

    private static void trySetAccessible(java.lang.reflect.AccessibleObject member) {
        try {
            member.setAccessible(true);
        } catch (RuntimeException ignored) {
            // public members of exported packages work without it
        }
    }

    /** The record's components as a map from prompt name to value, in declaration order. */
    public static Map<String, Object> toMap(Record value) {
        Shape shape = SHAPES.get(value.getClass());
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < shape.names.length; i++) {
            try {
                out.put(shape.names[i], shape.accessors[i].invoke(value));
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("Cannot read " + value.getClass().getName() + "." + shape.names[i]
                        + "; make the record public or open its package to dev.dspy4j.core", e);
            }
        }
        return out;
    }

    /**
     * Builds a record from validated values keyed by prompt name, converting numbers, lists and
     * optionals to the component types.
     */
    public static <T extends Record> T construct(Class<T> type, Map<String, ?> values) {
        Shape shape = SHAPES.get(type);
        Object[] args = new Object[shape.names.length];
        for (int i = 0; i < args.length; i++) {
            args[i] = convert(values.get(shape.names[i]), shape.types[i]);
        }
        try {
            return type.cast(shape.constructor.newInstance(args));
        } catch (InvocationTargetException e) {
            Throwable cause = Objects.requireNonNullElse(e.getCause(), e); // reflection always sets the cause
            throw new IllegalArgumentException(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot construct " + type.getName()
                    + "; make the record public or open its package to dev.dspy4j.core", e);
        }
    }

    /**
     * Converts a validated plain value (Long, Double, String, List, Map...) to a Java type: numbers
     * to the numeric type, strings to enum constants (by {@code toString()} or name), maps to
     * records, collections and maps element by element, and {@code Optional} around any of these.
     *
     * @throws IllegalArgumentException if the value cannot become that type
     */
    public static @Nullable Object convert(@Nullable Object value, Type target) {
        if (value != null) {
            return convertPresent(value, target);
        }
        Class<?> raw = rawClass(target);
        if (raw == Optional.class) {
            return Optional.empty();
        }
        if (raw.isPrimitive()) {
            throw new IllegalArgumentException("None is not a valid value for a " + raw.getName());
        }
        return null;
    }

    /** {@link #convert} of a value that is not {@code None}, which never converts to {@code null}. */
    @SuppressWarnings("unchecked")
    private static Object convertPresent(Object value, Type target) {
        Class<?> raw = rawClass(target);
        if (raw == Optional.class) {
            Type inner = ((ParameterizedType) target).getActualTypeArguments()[0];
            return Optional.of(convertPresent(value, inner));
        }
        if (value instanceof Number n) {
            if (raw == int.class || raw == Integer.class) {
                return Math.toIntExact(n.longValue());
            }
            if (raw == long.class || raw == Long.class) {
                return n.longValue();
            }
            if (raw == short.class || raw == Short.class) {
                return (short) n.longValue();
            }
            if (raw == byte.class || raw == Byte.class) {
                return (byte) n.longValue();
            }
            if (raw == double.class || raw == Double.class) {
                return n.doubleValue();
            }
            if (raw == float.class || raw == Float.class) {
                return n.floatValue();
            }
            if (raw == BigInteger.class) {
                return n instanceof BigInteger b ? b : BigInteger.valueOf(n.longValue());
            }
            if (raw == BigDecimal.class) {
                return new BigDecimal(n.toString());
            }
            return n;
        }
        if (value instanceof Boolean && raw == boolean.class) {
            return value;
        }
        if (value instanceof String s && (raw == char.class || raw == Character.class) && s.length() == 1) {
            return s.charAt(0);
        }
        if (raw.isEnum() && value instanceof String text) {
            for (Object constant : raw.getEnumConstants()) {
                if (constant.toString().equals(text) || ((Enum<?>) constant).name().equals(text)) {
                    return constant;
                }
            }
            throw new IllegalArgumentException("'" + text + "' is not one of " + List.of(raw.getEnumConstants()));
        }
        if (raw == Reasoning.class && value instanceof String text) {
            return new Reasoning(text); // a Reasoning output is text, natively produced or parsed
        }
        if (raw.isRecord() && value instanceof Map<?, ?> map) {
            return construct((Class<? extends Record>) raw, (Map<String, ?>) map);
        }
        if (value instanceof Collection<?> list) {
            Type element = target instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
            Collection<Object> out = java.util.Set.class.isAssignableFrom(raw)
                    ? new LinkedHashSet<>() : new ArrayList<>(list.size());
            for (Object item : list) {
                out.add(convert(item, element));
            }
            return out instanceof List<?> l ? java.util.Collections.unmodifiableList(l)
                    : java.util.Collections.unmodifiableSet((java.util.Set<?>) out);
        }
        if (value instanceof Map<?, ?> map && Map.class.isAssignableFrom(raw)) {
            Type valueType = target instanceof ParameterizedType p ? p.getActualTypeArguments()[1] : Object.class;
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put(e.getKey(), convert(e.getValue(), valueType));
            }
            return java.util.Collections.unmodifiableMap(out);
        }
        return value;
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        return Object.class;
    }
}
