package dev.dspy4j.module;

import dev.dspy4j.DspyException;
import dev.dspy4j.signature.Name;
import dev.dspy4j.signature.Names;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
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
import java.util.Optional;
import java.util.Set;

/** Converts between records and the by-name value maps that predictors take and return. */
final class RecordMapper {

    private RecordMapper() {}

    static Map<String, Object> toMap(Record record) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            try {
                Object value = component.getAccessor().invoke(record);
                if (value instanceof Optional<?> optional) {
                    value = optional.orElse(null);
                }
                out.put(promptName(component), value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new DspyException("Cannot read " + record.getClass().getSimpleName() + "." + component.getName()
                        + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    static <T extends Record> T fromMap(Class<T> type, Map<String, ?> values) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            types[i] = component.getType();
            String name = promptName(component);
            args[i] = convert(values.get(name), component.getGenericType(), type.getSimpleName() + "." + component.getName());
        }
        try {
            Constructor<T> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new DspyException("Cannot build " + type.getSimpleName() + " from " + values + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new DspyException("Cannot build " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object convert(Object value, Type target, String where) {
        Class<?> raw = rawClass(target);
        if (raw == Optional.class) {
            return Optional.ofNullable(convert(value, argument(target, 0), where));
        }
        if (value == null) {
            if (raw.isPrimitive()) {
                throw new DspyException(where + " is a primitive " + raw + " but the LM gave no value (None).");
            }
            return null;
        }
        if (raw.isInstance(value) && !(value instanceof Collection<?>) && !(value instanceof Map<?, ?>)) {
            return value;
        }
        if (value instanceof Number number) {
            if (raw == int.class || raw == Integer.class) {
                return Math.toIntExact(number.longValue());
            }
            if (raw == long.class || raw == Long.class) {
                return number.longValue();
            }
            if (raw == short.class || raw == Short.class) {
                return number.shortValue();
            }
            if (raw == byte.class || raw == Byte.class) {
                return number.byteValue();
            }
            if (raw == double.class || raw == Double.class) {
                return number.doubleValue();
            }
            if (raw == float.class || raw == Float.class) {
                return number.floatValue();
            }
            if (raw == BigInteger.class) {
                return BigInteger.valueOf(number.longValue());
            }
            if (raw == BigDecimal.class) {
                return new BigDecimal(number.toString());
            }
        }
        if (value instanceof Boolean && raw == boolean.class) {
            return value;
        }
        if (raw.isEnum() && value instanceof String text) {
            for (Object constant : raw.getEnumConstants()) {
                if (constant.toString().equals(text) || ((Enum<?>) constant).name().equals(text)) {
                    return constant;
                }
            }
        }
        if (raw.isRecord() && value instanceof Map<?, ?> map) {
            return fromMap((Class<? extends Record>) raw, (Map<String, ?>) map);
        }
        if (Collection.class.isAssignableFrom(raw) && value instanceof Collection<?> items) {
            Collection<Object> out = Set.class.isAssignableFrom(raw) ? new LinkedHashSet<>() : new ArrayList<>();
            Type element = argument(target, 0);
            int i = 0;
            for (Object item : items) {
                out.add(convert(item, element, where + "[" + i++ + "]"));
            }
            return Set.class.isAssignableFrom(raw) ? Set.copyOf(out) : List.copyOf(out);
        }
        if (Map.class.isAssignableFrom(raw) && value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            Type valueType = argument(target, 1);
            map.forEach((k, v) -> out.put(k, convert(v, valueType, where + "['" + k + "']")));
            return java.util.Collections.unmodifiableMap(out);
        }
        if (raw == String.class) {
            return String.valueOf(value);
        }
        throw new DspyException("Cannot convert " + value + " (" + value.getClass().getSimpleName() + ") to "
                + target.getTypeName() + " for " + where + ".");
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    private static Type argument(Type type, int index) {
        if (type instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
            return p.getActualTypeArguments()[index];
        }
        return Object.class;
    }

    private static String promptName(RecordComponent component) {
        Name name = component.getAnnotation(Name.class);
        return name != null ? name.value() : Names.toSnakeCase(component.getName());
    }
}
