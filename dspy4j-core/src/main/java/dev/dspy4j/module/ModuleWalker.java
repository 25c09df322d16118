package dev.dspy4j.module;

import dev.dspy4j.DspyException;
import dev.dspy4j.signature.Name;
import dev.dspy4j.signature.Names;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the parameters of a module (its {@link Predict}s and {@link Retrieve}s) and names them as
 * DSPy's {@code named_parameters()} does: attributes in order, sub-modules recursively as
 * {@code a.b}, list items as {@code a[i]} and map entries as {@code a['k']}, each parameter once (by
 * identity).
 */
final class ModuleWalker {

    private ModuleWalker() {}

    static Map<String, Module> namedParameters(Module root) {
        Map<String, Module> out = new LinkedHashMap<>();
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        if (root instanceof Predict || root instanceof Retrieve) {
            out.put("self", root);
            return Collections.unmodifiableMap(out);
        }
        seen.add(root);
        walk(root, "", out, seen);
        return Collections.unmodifiableMap(out);
    }

    private static void walk(Module module, String prefix, Map<String, Module> out, Set<Object> seen) {
        Map<String, ?> declared = module.children();
        if (declared != null) {
            declared.forEach((name, value) -> {
                if (value != null) {
                    visit(value, prefix + name, out, seen, true);
                }
            });
            return;
        }
        for (Field field : fieldsInOrder(module.getClass())) {
            Object value = read(field, module);
            if (value == null) {
                continue;
            }
            String name = prefix + attributeName(field);
            visit(value, name, out, seen, true);
        }
    }

    private static void visit(Object value, String name, Map<String, Module> out, Set<Object> seen, boolean nest) {
        if (value instanceof TypedModule<?, ?> typed) {
            value = typed.module();
        }
        if (value instanceof Predict || value instanceof Retrieve) {
            // DSPy's Parameters: a Retrieve's k is saved with the program, as a predictor's state is
            if (seen.add(value)) {
                out.put(name, (Module) value);
            }
        } else if (value instanceof Module child) {
            if (seen.add(child)) {
                walk(child, name + ".", out, seen);
            }
        } else if (nest && value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                visit(list.get(i), name + "[" + i + "]", out, seen, false);
            }
        } else if (nest && value instanceof Object[] array) {
            for (int i = 0; i < array.length; i++) {
                visit(array[i], name + "[" + i + "]", out, seen, false);
            }
        } else if (nest && value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                visit(entry.getValue(), name + "['" + entry.getKey() + "']", out, seen, false);
            }
        }
    }

    private static List<Field> fieldsInOrder(Class<?> type) {
        Deque<Class<?>> chain = new ArrayDeque<>();
        for (Class<?> c = type; c != null && c != Module.class && c != Object.class; c = c.getSuperclass()) {
            chain.push(c);
        }
        List<Field> fields = new java.util.ArrayList<>();
        for (Class<?> c : chain) {
            for (Field field : c.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers()) && !field.isSynthetic()) {
                    fields.add(field);
                }
            }
        }
        return fields;
    }

    private static Object read(Field field, Module module) {
        try {
            field.setAccessible(true);
            return field.get(module);
        } catch (IllegalAccessException | InaccessibleObjectException e) {
            throw new DspyException("Cannot read field " + field.getDeclaringClass().getName() + "." + field.getName()
                    + " to find predictors: " + e.getMessage() + ". If the module lives in a named Java module, "
                    + "open its package to dev.dspy4j.core.", e);
        }
    }

    static String attributeName(Field field) {
        Name name = field.getAnnotation(Name.class);
        return name != null ? name.value() : Names.toSnakeCase(field.getName());
    }
}
