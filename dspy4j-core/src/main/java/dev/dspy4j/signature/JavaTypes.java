package dev.dspy4j.signature;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Maps Java types to DSPy field types. */
final class JavaTypes {

    private JavaTypes() {}

    static FieldType toFieldType(Type type, String where) {
        if (type instanceof Class<?> c) {
            return fromClass(c, where);
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
            Type[] args = p.getActualTypeArguments();
            if (Optional.class.equals(raw)) {
                return new FieldType.OptionalType(toFieldType(args[0], where), true);
            }
            if (Collection.class.isAssignableFrom(raw)) {
                return new FieldType.ListType(toFieldType(args[0], where));
            }
            if (Map.class.isAssignableFrom(raw)) {
                return new FieldType.DictType(toFieldType(args[0], where), toFieldType(args[1], where));
            }
            return fromClass(raw, where);
        }
        if (type instanceof WildcardType w && w.getUpperBounds().length == 1) {
            return toFieldType(w.getUpperBounds()[0], where);
        }
        if (type instanceof GenericArrayType g) {
            return new FieldType.ListType(toFieldType(g.getGenericComponentType(), where));
        }
        throw new SignatureException("Type " + type.getTypeName() + " of " + where
                + " has no DSPy counterpart; use String, numbers, boolean, List, Map, Optional, an enum or a record.");
    }

    @SuppressWarnings("unchecked")
    static FieldType fromClass(Class<?> c, String where) {
        if (c == String.class || c == CharSequence.class || c == char.class || c == Character.class) {
            return FieldType.STR;
        }
        if (c == int.class || c == long.class || c == short.class || c == byte.class || c == Integer.class
                || c == Long.class || c == Short.class || c == Byte.class || c == BigInteger.class) {
            return FieldType.INT;
        }
        if (c == double.class || c == float.class || c == Double.class || c == Float.class || c == BigDecimal.class) {
            return FieldType.FLOAT;
        }
        if (c == boolean.class || c == Boolean.class) {
            return FieldType.BOOL;
        }
        if (c == Object.class) {
            return FieldType.ANY;
        }
        if (c == Code.class) {
            return FieldType.CodeType.bare();
        }
        CustomFieldType custom = c.getAnnotation(CustomFieldType.class);
        if (custom != null) {
            return new FieldType.Custom(CustomTypes.instance(custom.value(), c, where));
        }
        SpecialFieldType special = c.getAnnotation(SpecialFieldType.class);
        if (special != null) {
            return new FieldType.SpecialType(special.value());
        }
        if (c.isArray()) {
            return new FieldType.ListType(fromClass(c.getComponentType(), where));
        }
        if (c.isEnum()) {
            Map<String, String> members = new LinkedHashMap<>();
            for (Object constant : c.getEnumConstants()) {
                members.put(((Enum<?>) constant).name(), constant.toString());
            }
            return new FieldType.EnumType(c.getSimpleName(), members, (Class<? extends Enum<?>>) c);
        }
        if (c.isRecord()) {
            Map<String, FieldType> fields = new LinkedHashMap<>();
            for (RecordComponent component : c.getRecordComponents()) {
                fields.put(promptName(component), componentType(component,
                        c.getSimpleName() + "." + component.getName()));
            }
            return new FieldType.RecordType(c.getSimpleName(), fields, (Class<? extends Record>) c);
        }
        if (Collection.class.isAssignableFrom(c)) {
            return new FieldType.ListType(FieldType.ANY);
        }
        if (Map.class.isAssignableFrom(c)) {
            return new FieldType.DictType(FieldType.STR, FieldType.ANY);
        }
        throw new SignatureException("Type " + c.getName() + " of " + where
                + " has no DSPy counterpart; use String, numbers, boolean, List, Map, Optional, an enum or a record.");
    }

    /**
     * The field type of a record component: its Java type's, with the language of
     * {@link Code.Language @Code.Language} on a {@link Code} component.
     */
    static FieldType componentType(RecordComponent component, String where) {
        FieldType type = toFieldType(component.getGenericType(), where);
        Code.Language language = component.getAnnotation(Code.Language.class);
        if (language == null) {
            return type;
        }
        if (!(type instanceof FieldType.CodeType)) {
            throw new SignatureException("@Code.Language on " + where + " needs a component of type Code, not "
                    + component.getGenericType().getTypeName() + ".");
        }
        return FieldType.CodeType.of(language.value());
    }

    static String promptName(RecordComponent component) {
        Name name = component.getAnnotation(Name.class);
        return name != null ? name.value() : Names.toSnakeCase(component.getName());
    }
}
