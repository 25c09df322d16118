package dev.dspy4j.golden;

import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import dev.dspy4j.signature.SignatureException;
import dev.dspy4j.signature.TypeRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds a {@link Signature} from a golden case's {@code signature} object (reference §10). */
final class GoldenSignatures {

    private GoldenSignatures() {}

    @SuppressWarnings("unchecked")
    static Signature build(Map<String, Object> json) {
        TypeRegistry types = registry((Map<String, Object>) json.getOrDefault("types", Map.of()));
        List<Field> fields = new ArrayList<>();
        for (Object raw : (List<Object>) json.get("fields")) {
            Map<String, Object> spec = (Map<String, Object>) raw;
            String name = (String) spec.get("name");
            FieldType type = types.parseType((String) spec.get("type"));
            Field field = switch ((String) spec.get("io")) {
                case "input" -> Field.input(name, type);
                case "output" -> Field.output(name, type);
                default -> throw new IllegalArgumentException("Unknown io '" + spec.get("io") + "' of field " + name);
            };
            if (spec.get("desc") != null) {
                field = field.withDescription((String) spec.get("desc"));
            }
            if (spec.containsKey("default")) {
                field = field.withDefault(spec.get("default"));
            }
            if (spec.get("default_factory") instanceof String factory) {
                field = field.withDefaultFactory(switch (factory) {
                    case "list" -> List::of;
                    case "dict" -> Map::of;
                    case "str" -> () -> "";
                    default -> throw new IllegalArgumentException("Unknown default_factory '" + factory
                            + "' of field " + name + "; the runner knows list, dict and str");
                });
            }
            fields.add(field);
        }
        Signature signature = Signature.of((String) json.get("instructions"), fields);
        return json.get("name") instanceof String name ? signature.withName(name) : signature;
    }

    /**
     * Named types in declared order: a record maps field names to type strings, an enum is
     * {@code {"enum": {NAME: value}}}. A record may refer to a type declared after it, so
     * unresolved records are retried until no progress is made.
     */
    @SuppressWarnings("unchecked")
    private static TypeRegistry registry(Map<String, Object> declared) {
        TypeRegistry registry = TypeRegistry.EMPTY;
        Map<String, Object> pending = new LinkedHashMap<>(declared);
        while (!pending.isEmpty()) {
            int before = pending.size();
            SignatureException last = null;
            for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                Map<String, Object> spec = (Map<String, Object>) entry.getValue();
                try {
                    registry = registry.with(entry.getKey(), namedType(entry.getKey(), spec, registry));
                    it.remove();
                } catch (SignatureException e) {
                    last = e;
                }
            }
            if (pending.size() == before) {
                throw last;
            }
        }
        return registry;
    }

    @SuppressWarnings("unchecked")
    private static FieldType namedType(String name, Map<String, Object> spec, TypeRegistry registry) {
        if (spec.get("enum") instanceof Map<?, ?> members) {
            Map<String, String> values = new LinkedHashMap<>();
            members.forEach((member, value) -> values.put((String) member, String.valueOf(value)));
            return new FieldType.EnumType(name, values, null);
        }
        Map<String, FieldType> fields = new LinkedHashMap<>();
        for (Map.Entry<String, Object> field : spec.entrySet()) {
            if (field.getKey().startsWith("__")) {
                continue;
            }
            fields.put(field.getKey(), registry.parseType((String) field.getValue()));
        }
        return new FieldType.RecordType(name, fields, null);
    }
}
