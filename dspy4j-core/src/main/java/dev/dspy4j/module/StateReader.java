package dev.dspy4j.module;

import dev.dspy4j.data.Example;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.Signature;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads DSPy's saved-program JSON and checks it against a program, all or nothing: each predictor's
 * state and each Retrieve's {@code k}.
 */
final class StateReader {

    private static final Logger LOG = LoggerFactory.getLogger(StateReader.class);
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_LONG_FOR_INTS) // ints come back as the Longs the adapters produce
            .build();
    private static final Set<String> SECRET_KEYS = Set.of("api_key", "api_base", "base_url", "model_list",
            "azure_ad_token", "api_token", "authorization", "headers");
    /** The keys DSPy writes for one predictor ({@code Predict.dump_state}). */
    private static final List<String> PREDICTOR_KEYS = List.of("signature", "demos", "lm", "traces", "train");

    /** Jackson's message for NaN, Infinity and -Infinity (Python's json.dumps writes them). */
    private static final Pattern NON_FINITE = Pattern.compile("Non-standard token '(-?Infinity|\\+?Infinity|NaN)'");

    private final String source;
    private final Module program;
    private final @Nullable Function<Map<String, Object>, Lm> lmResolver;

    StateReader(String source, Module program, @Nullable Function<Map<String, Object>, Lm> lmResolver) {
        this.source = source;
        this.program = program;
        this.lmResolver = lmResolver;
    }

    static boolean isSecretKey(String key) {
        return SECRET_KEYS.contains(key.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * A file's bytes as text, strictly UTF-8 as DSPy reads them ({@code orjson.loads}): an invalid
     * sequence is an error naming the byte offset, not a replacement character.
     */
    static String utf8(byte[] bytes, String source) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isUnderflow()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            throw new StateLoadException("Saved program " + source + " is not valid UTF-8 (byte 0x"
                    + HexFormat.of().withUpperCase().toHexDigits(bytes[offset]) + " at byte offset " + offset
                    + "); DSPy saves UTF-8, so re-save the file as UTF-8 (it was probably written in another encoding).");
        }
        return out.flip().toString();
    }

    ProgramState read(String json) {
        if (json.startsWith("\uFEFF")) {
            throw fail("starts with a UTF-8 byte-order mark, which DSPy's loader (orjson) rejects too; save it "
                    + "without one (in Python, encoding=\"utf-8\" rather than \"utf-8-sig\")");
        }
        Object parsed;
        try {
            parsed = JSON.readValue(json, Object.class);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            String problem = e.getOriginalMessage().lines().findFirst().orElse("");
            Matcher nonFinite = NON_FINITE.matcher(problem);
            if (nonFinite.find()) {
                throw fail("holds " + nonFinite.group(1) + where + ", which is not JSON and which DSPy's loader "
                        + "(orjson) rejects too; write null instead, as DSPy does when it saves a non-finite float");
            }
            throw fail("is not valid JSON (" + problem + where + "); restore it from the optimizer's output");
        }
        if (!(parsed instanceof Map<?, ?> root)) {
            throw fail("must hold a JSON object at the top level, not " + kind(parsed));
        }
        Map<String, Module> parameters = program.namedParameters();
        Map<String, String> versions = readMetadata(root.get("metadata"));
        boolean flatFile = !root.containsKey("self") && isFlatState(root, parameters);
        Map<String, Object> byPath = new LinkedHashMap<>();
        if (flatFile) {
            // DSPy saves a bare Predict flat: its state at the top level, with no "self" key
            Map<String, Object> self = new LinkedHashMap<>();
            root.forEach((k, v) -> {
                if (!"metadata".equals(k)) {
                    self.put(String.valueOf(k), v);
                }
            });
            byPath.put("self", self);
        } else {
            root.forEach((k, v) -> {
                if (!"metadata".equals(k)) {
                    byPath.put(String.valueOf(k), v);
                }
            });
        }
        List<String> unsavedRetrieves = unsavedRetrieves(byPath.keySet(), parameters);
        if (!byPath.keySet().equals(parameters.keySet()) && unsavedRetrieves.isEmpty()) {
            throw mismatch(byPath.keySet(), flatFile, parameters);
        }
        if (!unsavedRetrieves.isEmpty()) {
            LOG.warn("{} has no state for Retrieve {} (an older dspy4j saved it without k); keeping the k set "
                    + "in code. DSPy's load fails on such a file: save the program again to add each k.",
                    source, unsavedRetrieves);
        }
        Map<String, Object> states = new LinkedHashMap<>();
        parameters.forEach((path, parameter) -> {
            if (parameter instanceof Retrieve retrieve) {
                states.put(path, byPath.containsKey(path) ? readK(path, byPath.get(path)) : retrieve.k());
            } else {
                states.put(path, readPredictor(path, byPath.get(path), ((Predict) parameter).ownState()));
            }
        });
        return ProgramState.ofParameters(states, versions);
    }

    /**
     * The program's Retrieve paths when the file has exactly the program's predictors and none of
     * its Retrieves: a file saved by a dspy4j that did not save {@code k} yet, which loads with the
     * {@code k}s set in code. Empty otherwise (also when the file has some Retrieves but not all).
     */
    private static List<String> unsavedRetrieves(Set<String> filePaths, Map<String, Module> parameters) {
        List<String> retrieves = new ArrayList<>();
        Set<String> predictors = new LinkedHashSet<>();
        parameters.forEach((path, parameter) -> (parameter instanceof Retrieve ? retrieves : predictors).add(path));
        return !retrieves.isEmpty() && filePaths.equals(predictors) ? retrieves : List.of();
    }

    /**
     * A Retrieve's saved state, {@code {"k": 3}} as DSPy's {@code Retrieve.dump_state} writes it.
     * Keys other than {@code k} are ignored, as a predictor's unknown keys are.
     */
    private int readK(String path, @Nullable Object raw) {
        String fix = "; DSPy saves a Retrieve as {\"k\": <passages per search>}, so write an integer >= 1 there";
        if (!(raw instanceof Map<?, ?> entry)) {
            throw failRetrieve(path, "must be a JSON object like {\"k\": 3}, not " + kind(raw) + fix);
        }
        if (!entry.containsKey("k")) {
            throw failRetrieve(path, "has no 'k'" + fix);
        }
        Object k = entry.get("k");
        if (!(k instanceof Long || k instanceof Integer || k instanceof java.math.BigInteger)) {
            throw failRetrieve(path, "has a 'k' that is " + kind(k) + ", not an integer" + fix);
        }
        Number n = (Number) k;
        if (n instanceof java.math.BigInteger || n.longValue() < 1 || n.longValue() > Integer.MAX_VALUE) {
            throw failRetrieve(path, "has 'k' = " + k + ", out of range" + fix + " (at most " + Integer.MAX_VALUE + ")");
        }
        return n.intValue();
    }

    /**
     * Whether the top level of a file is one parameter's state, as DSPy saves a bare Predict: it
     * has a predictor's keys ({@code signature}, {@code demos}, ...), or {@code k} for a bare
     * Retrieve, and none of the program's paths. A file of several parameters has only paths and
     * {@code metadata}.
     */
    private static boolean isFlatState(Map<?, ?> root, Map<String, Module> parameters) {
        for (String path : parameters.keySet()) {
            if (root.containsKey(path)) {
                return false;
            }
        }
        for (String key : PREDICTOR_KEYS) {
            if (root.containsKey(key)) {
                return true;
            }
        }
        return parameters.get("self") instanceof Retrieve && root.containsKey("k");
    }

    private StateLoadException mismatch(Set<String> filePaths, boolean flatFile, Map<String, Module> parameters) {
        Set<String> programPaths = parameters.keySet();
        boolean withRetrieves = parameters.values().stream().anyMatch(Retrieve.class::isInstance);
        List<String> missing = new ArrayList<>();
        for (String path : programPaths) {
            if (!filePaths.contains(path)) {
                missing.add(path);
            }
        }
        List<String> extra = new ArrayList<>();
        for (String path : filePaths) {
            if (!programPaths.contains(path)) {
                extra.add(path);
            }
        }
        String inFile = flatFile ? "a single predictor saved flat (path 'self'), as DSPy saves a bare Predict"
                : (withRetrieves ? "parameters " : "predictors ") + filePaths;
        List<String> details = new ArrayList<>();
        if (!missing.isEmpty()) {
            details.add("no state for " + missing);
        }
        if (!extra.isEmpty() && !flatFile) {
            details.add("not in the program: " + extra);
        }
        return fail("does not match the program " + program.structure().getClass().getSimpleName()
                + ": the file holds " + inFile + ", the program has "
                + (withRetrieves ? "predictors and Retrieves " : "") + programPaths
                + (details.isEmpty() ? "" : " (" + String.join("; ", details) + ")")
                + "; load a file saved from a program of the same structure");
    }

    private PredictorState readPredictor(String path, @Nullable Object raw, PredictorState base) {
        if (!(raw instanceof Map<?, ?> entry)) {
            throw fail(path, "must be a JSON object, not " + kind(raw));
        }
        Signature signature = readSignature(path, entry.get("signature"), base.signature());
        List<Example> demos = readDemos(path, entry.get("demos"));
        Lm lm = readLm(path, entry.get("lm"));
        // As in DSPy, the file decides: "lm": null clears an LM set in code.
        return new PredictorState(signature, demos, lm);
    }

    private Signature readSignature(String path, @Nullable Object raw, Signature base) {
        if (raw == null) {
            return base;
        }
        if (!(raw instanceof Map<?, ?> sig)) {
            throw fail(path, "has a 'signature' that is " + kind(raw) + ", not an object");
        }
        Signature result = base;
        Object instructions = sig.get("instructions");
        if (instructions != null) {
            if (!(instructions instanceof String text)) {
                throw fail(path, "has 'signature.instructions' that is " + kind(instructions) + ", not a string");
            }
            result = result.withInstructions(text);
        }
        Object fields = sig.get("fields");
        if (fields != null) {
            if (!(fields instanceof List<?> list)) {
                throw fail(path, "has 'signature.fields' that is " + kind(fields) + ", not a list");
            }
            List<Field> codeFields = base.fields();
            if (list.size() != codeFields.size()) {
                throw fail(path, "has " + list.size() + " signature fields but the program's signature "
                        + base.shorthand() + " has " + codeFields.size()
                        + "; fields are matched by position, so the file is for a different signature");
            }
            for (int i = 0; i < list.size(); i++) {
                if (!(list.get(i) instanceof Map<?, ?> fieldState)) {
                    throw fail(path, "has 'signature.fields[" + i + "]' that is " + kind(list.get(i))
                            + ", not an object");
                }
                String name = codeFields.get(i).name();
                Object prefix = fieldState.get("prefix");
                Object description = fieldState.get("description");
                if (prefix != null && !(prefix instanceof String)) {
                    throw fail(path, "has a non-string prefix for field " + i + " ('" + name + "')");
                }
                if (description != null && !(description instanceof String)) {
                    throw fail(path, "has a non-string description for field " + i + " ('" + name + "')");
                }
                result = result.withField(name, f -> {
                    Field edited = prefix != null ? f.withPrefix((String) prefix) : f;
                    return description != null ? edited.withDescription((String) description) : edited;
                });
            }
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private List<Example> readDemos(String path, @Nullable Object raw) {
        if (raw == null) {
            return List.of();
        }
        if (!(raw instanceof List<?> list)) {
            throw fail(path, "has 'demos' that is " + kind(raw) + ", not a list");
        }
        List<Example> demos = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> demo)) {
                throw fail(path, "has 'demos[" + i + "]' that is " + kind(list.get(i)) + ", not an object");
            }
            demos.add(Example.of((Map<String, ?>) demo));
        }
        return demos;
    }

    @SuppressWarnings("unchecked")
    private @Nullable Lm readLm(String path, @Nullable Object raw) {
        if (raw == null) {
            return null;
        }
        if (!(raw instanceof Map<?, ?> lmState)) {
            throw fail(path, "has an 'lm' that is " + kind(raw) + ", not an object or null");
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        ((Map<String, Object>) lmState).forEach((k, v) -> {
            if (!isSecretKey(k) && !k.equals("_dspy_lm_class")) {
                settings.put(k, v);
            }
        });
        if (lmResolver == null) {
            throw fail(path, "sets its own LM (" + settings.get("model") + "); pass an LM resolver to "
                    + "load(path, settings -> ...) to build it, e.g. from the model name");
        }
        Lm lm = lmResolver.apply(java.util.Collections.unmodifiableMap(settings));
        if (lm == null) {
            throw fail(path, "sets LM " + settings.get("model") + " but the LM resolver returned null");
        }
        return lm;
    }

    private Map<String, String> readMetadata(@Nullable Object raw) {
        Map<String, String> versions = new LinkedHashMap<>(ProgramState.DEFAULT_DEPENDENCY_VERSIONS);
        if (raw instanceof Map<?, ?> metadata && metadata.get("dependency_versions") instanceof Map<?, ?> saved) {
            versions.clear();
            saved.forEach((k, v) -> versions.put(String.valueOf(k), String.valueOf(v)));
            String dspy = versions.get("dspy");
            if (dspy != null && !majorMinor(dspy).equals("3.3")) {
                LOG.warn("{} was saved by DSPy {}; dspy4j follows DSPy 3.3's format, so check the loaded prompts",
                        source, dspy);
            }
        }
        return versions;
    }

    private static String majorMinor(String version) {
        String[] parts = version.split("\\.");
        return parts.length >= 2 ? parts[0] + "." + parts[1] : version;
    }

    private static String kind(@Nullable Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "a list";
        }
        if (value instanceof String) {
            return "a string";
        }
        return value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + value;
    }

    private StateLoadException fail(String what) {
        return new StateLoadException("Saved program " + source + " " + what + ".");
    }

    private StateLoadException failRetrieve(String path, String what) {
        return new StateLoadException("Saved program " + source + ": Retrieve '" + path + "' " + what + ".");
    }

    private StateLoadException fail(String path, String what) {
        return new StateLoadException("Saved program " + source + ": predictor '" + path + "' " + what + ".");
    }
}
