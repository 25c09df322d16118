package dev.dspy4j.spark;

import dev.dspy4j.signature.FieldType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;
import tools.jackson.databind.json.JsonMapper;

/**
 * Signature types as Spark types, and values across the boundary: Java values of a prediction to
 * Spark's external row values, and row values to plain Java values for the program's inputs.
 */
final class SparkTypes {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SparkTypes() {
    }

    static FieldType unwrapOptional(FieldType type) {
        return type instanceof FieldType.OptionalType optional ? unwrapOptional(optional.inner()) : type;
    }

    /** The Spark type a value of {@code type} is stored as. */
    static DataType of(FieldType type) {
        return switch (unwrapOptional(type)) {
            case FieldType.StrType s -> DataTypes.StringType;
            case FieldType.IntType i -> DataTypes.LongType;
            case FieldType.FloatType f -> DataTypes.DoubleType;
            case FieldType.BoolType b -> DataTypes.BooleanType;
            case FieldType.LiteralType l -> DataTypes.StringType;
            case FieldType.EnumType e -> DataTypes.StringType;
            case FieldType.ListType list -> DataTypes.createArrayType(of(list.element()), true);
            case FieldType.DictType dict when unwrapOptional(dict.key()) instanceof FieldType.StrType ->
                    DataTypes.createMapType(DataTypes.StringType, of(dict.value()), true);
            case FieldType.RecordType record -> {
                List<StructField> fields = new ArrayList<>();
                record.fields().forEach((name, t) -> fields.add(DataTypes.createStructField(name, of(t), true)));
                yield new StructType(fields.toArray(StructField[]::new));
            }
            default -> DataTypes.StringType;   // JSON text
        };
    }

    /** Whether values of {@code type} are stored as JSON text. */
    private static boolean isJson(FieldType type) {
        return switch (unwrapOptional(type)) {
            case FieldType.StrType s -> false;
            case FieldType.IntType i -> false;
            case FieldType.FloatType f -> false;
            case FieldType.BoolType b -> false;
            case FieldType.LiteralType l -> false;
            case FieldType.EnumType e -> false;
            case FieldType.ListType list -> false;
            case FieldType.DictType dict -> !(unwrapOptional(dict.key()) instanceof FieldType.StrType);
            case FieldType.RecordType record -> false;
            default -> true;
        };
    }

    /** A prediction's value as the external Spark value of {@link #of(FieldType)}. */
    static Object toSpark(Object value, FieldType declared) {
        if (value == null) {
            return null;
        }
        FieldType type = unwrapOptional(declared);
        if (isJson(type)) {
            return JSON.writeValueAsString(plain(value));
        }
        return switch (type) {
            case FieldType.StrType s -> value instanceof String text ? text : JSON.writeValueAsString(plain(value));
            case FieldType.IntType i -> ((Number) value).longValue();
            case FieldType.FloatType f -> ((Number) value).doubleValue();
            case FieldType.BoolType b -> (Boolean) value;
            case FieldType.LiteralType l -> text(value);
            case FieldType.EnumType e -> text(value);
            case FieldType.ListType list -> {
                List<Object> out = new ArrayList<>();
                for (Object item : items(value)) {
                    out.add(toSpark(item, list.element()));
                }
                yield CollectionConverters.asScala(out).toSeq();
            }
            case FieldType.DictType dict -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                ((Map<?, ?>) value).forEach((k, v) -> out.put(String.valueOf(k), toSpark(v, dict.value())));
                yield CollectionConverters.asScala(out);
            }
            case FieldType.RecordType record -> structRow(value, record);
            default -> JSON.writeValueAsString(plain(value));
        };
    }

    /** A record value's components, in the record type's field order, as Spark values. */
    static Object[] components(Object value, FieldType.RecordType record) {
        Map<String, Object> byName = recordMap(value, record);
        Object[] out = new Object[record.fields().size()];
        int i = 0;
        for (Map.Entry<String, FieldType> field : record.fields().entrySet()) {
            out[i++] = toSpark(byName.get(field.getKey()), field.getValue());
        }
        return out;
    }

    private static Row structRow(Object value, FieldType.RecordType record) {
        return RowFactory.create(components(value, record));
    }

    /** A record instance or a map as field name -> value; Java records by component position. */
    private static Map<String, Object> recordMap(Object value, FieldType.RecordType type) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (value instanceof Record record) {
            RecordComponent[] components = record.getClass().getRecordComponents();
            List<String> names = List.copyOf(type.fields().keySet());
            for (int i = 0; i < components.length; i++) {
                Object component;
                try {
                    components[i].getAccessor().setAccessible(true);
                    component = components[i].getAccessor().invoke(record);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new IllegalStateException("Cannot read component " + components[i].getName() + " of "
                            + record.getClass().getName() + ": " + e, e);
                }
                out.put(i < names.size() ? names.get(i) : components[i].getName(), component);
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> out.put(String.valueOf(k), v));
        } else {
            throw new IllegalStateException("A value of record type " + type.name() + " is a "
                    + value.getClass().getName() + ", not a record or a map");
        }
        return out;
    }

    private static String text(Object value) {
        if (value instanceof Enum<?> constant) {
            return constant.name();
        }
        return String.valueOf(value);
    }

    private static Collection<?> items(Object value) {
        if (value instanceof Collection<?> collection) {
            return collection;
        }
        if (value instanceof Object[] array) {
            return List.of(array);
        }
        throw new IllegalStateException("A list value is a " + value.getClass().getName());
    }

    /** A value with records as maps, for JSON text. */
    static Object plain(Object value) {
        if (value instanceof Record record) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                try {
                    component.getAccessor().setAccessible(true);
                    out.put(component.getName(), plain(component.getAccessor().invoke(record)));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    out.put(component.getName(), String.valueOf(e));
                }
            }
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
            return out;
        }
        if (value instanceof Collection<?> collection) {
            List<Object> out = new ArrayList<>();
            collection.forEach(item -> out.add(plain(item)));
            return out;
        }
        if (value instanceof Enum<?> constant) {
            return constant.name();
        }
        return value;
    }

    /**
     * A value read from a row as a plain Java value: Spark's sequences as lists, maps as maps,
     * structs as maps keyed by field name; strings, numbers and booleans as they are.
     */
    static Object fromSpark(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Row row) {
            Map<String, Object> out = new LinkedHashMap<>();
            String[] names = row.schema() == null ? null : row.schema().fieldNames();
            for (int i = 0; i < row.length(); i++) {
                out.put(names == null ? "_" + (i + 1) : names[i], fromSpark(row.get(i)));
            }
            return out;
        }
        if (value instanceof scala.collection.Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            CollectionConverters.asJava(map).forEach((k, v) -> out.put(fromSpark(k), fromSpark(v)));
            return out;
        }
        if (value instanceof scala.collection.Iterable<?> seq) {
            List<Object> out = new ArrayList<>();
            CollectionConverters.asJava(seq).forEach(item -> out.add(fromSpark(item)));
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(fromSpark(k), fromSpark(v)));
            return out;
        }
        if (value instanceof Collection<?> collection) {
            List<Object> out = new ArrayList<>();
            collection.forEach(item -> out.add(fromSpark(item)));
            return out;
        }
        return value;
    }
}
