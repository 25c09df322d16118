package dev.dspy4j.module;

import dev.dspy4j.DspyException;
import dev.dspy4j.data.Example;
import dev.dspy4j.internal.python.PythonValues;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.signature.Field;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A program's learned state: one {@link PredictorState} per predictor path and the {@code k} of
 * every {@link Retrieve}, in the program's order. Immutable value; saves to and loads from DSPy's
 * JSON format, so a program optimized in Python loads here and renders byte-identical prompts (and
 * vice versa).
 *
 * <p>The JSON holds, per predictor path, {@code demos}, {@code signature.instructions},
 * {@code signature.fields[{prefix, description}]} (inputs then outputs, applied by position),
 * {@code lm}, DSPy's always-empty {@code traces} and {@code train}; per Retrieve path,
 * {@code {"k": <passages per search>}} (DSPy's {@code Retrieve.dump_state}); and a top-level
 * {@code metadata.dependency_versions}. Entries follow DSPy's {@code named_parameters()} order, so
 * Retrieves sit between predictors in attribute order. A single bare Predict is saved flat, as DSPy
 * does. Field names and types are not in the file; they come from the program's code. Loading never
 * instantiates a class named in the file.
 */
public final class ProgramState {

    /** The versions written into {@code metadata.dependency_versions}: the DSPy release this format matches. */
    public static final Map<String, String> DEFAULT_DEPENDENCY_VERSIONS =
            orderedOf("python", "3.11", "dspy", "3.3.1", "cloudpickle", "3.1");

    private static final AtomicLong TEMP_NAMES = new AtomicLong();

    /** Every parameter by path, in order: a {@link PredictorState} or a Retrieve's {@code k} (an Integer). */
    private final Map<String, Object> parameters;
    private final Map<String, PredictorState> predictors;
    private final Map<String, Integer> retrieveKs;
    private final Map<String, String> dependencyVersions;

    private ProgramState(Map<String, Object> parameters, Map<String, String> dependencyVersions) {
        Map<String, PredictorState> onlyPredictors = new LinkedHashMap<>();
        Map<String, Integer> onlyRetrieves = new LinkedHashMap<>();
        parameters.forEach((path, value) -> {
            if (value instanceof PredictorState state) {
                onlyPredictors.put(path, state);
            } else {
                onlyRetrieves.put(path, (Integer) value);
            }
        });
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        this.predictors = Collections.unmodifiableMap(onlyPredictors);
        this.retrieveKs = Collections.unmodifiableMap(onlyRetrieves);
        this.dependencyVersions = dependencyVersions;
    }

    /** State for these predictors, by path, in the given order (for a program without a Retrieve). */
    public static ProgramState of(Map<String, PredictorState> predictors) {
        return of(predictors, Map.of());
    }

    /**
     * State for these predictors and Retrieves, by path. A program this state is applied to
     * ({@link Module#withState}) orders it as its parameters are ordered; on its own, predictors
     * come first.
     *
     * @param predictors each predictor's state by path
     * @param retrieveKs each Retrieve's {@code k} by path
     * @throws IllegalArgumentException if a {@code k} is below 1 or a path is in both maps
     */
    public static ProgramState of(Map<String, PredictorState> predictors, Map<String, Integer> retrieveKs) {
        Map<String, Object> all = new LinkedHashMap<>();
        predictors.forEach((path, state) -> all.put(Objects.requireNonNull(path, "path"),
                Objects.requireNonNull(state, "state of " + path)));
        retrieveKs.forEach((path, k) -> {
            if (all.containsKey(Objects.requireNonNull(path, "path"))) {
                throw new IllegalArgumentException("Path '" + path + "' is both a predictor and a Retrieve.");
            }
            all.put(path, checkK(path, Objects.requireNonNull(k, "k of " + path)));
        });
        return new ProgramState(all, DEFAULT_DEPENDENCY_VERSIONS);
    }

    /** State for these parameters (PredictorStates and Integer ks) in this order, with these versions. */
    static ProgramState ofParameters(Map<String, Object> parameters, Map<String, String> versions) {
        return new ProgramState(parameters, Collections.unmodifiableMap(new LinkedHashMap<>(versions)));
    }

    /** The state of every predictor by path (no Retrieves: see {@link #retrieveKs()}). */
    public Map<String, PredictorState> predictors() {
        return predictors;
    }

    /**
     * The {@code k} of every {@link Retrieve} by path, in the program's order: what DSPy saves for a
     * {@code dspy.Retrieve}. Empty for a program without one.
     */
    public Map<String, Integer> retrieveKs() {
        return retrieveKs;
    }

    /**
     * The state of one predictor.
     *
     * @throws DspyException naming the known paths if there is none at {@code path}
     */
    public PredictorState predictor(String path) {
        PredictorState state = predictors.get(path);
        if (state == null) {
            throw new DspyException("No predictor at path '" + path + "'; paths are " + predictors.keySet() + ".");
        }
        return state;
    }

    /**
     * The {@code k} of the Retrieve at {@code path}.
     *
     * @throws DspyException naming the known Retrieve paths if there is none at {@code path}
     */
    public int retrieveK(String path) {
        Integer k = retrieveKs.get(path);
        if (k == null) {
            throw new DspyException("No Retrieve at path '" + path + "'; Retrieve paths are " + retrieveKs.keySet()
                    + ".");
        }
        return k;
    }

    /** This state with one predictor's state replaced. */
    public ProgramState with(String path, PredictorState state) {
        predictor(path);
        Map<String, Object> copy = new LinkedHashMap<>(parameters);
        copy.put(path, Objects.requireNonNull(state, "state"));
        return new ProgramState(copy, dependencyVersions);
    }

    /**
     * This state with one Retrieve's {@code k} replaced.
     *
     * @throws DspyException if there is no Retrieve at {@code path}
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public ProgramState withRetrieveK(String path, int k) {
        retrieveK(path);
        Map<String, Object> copy = new LinkedHashMap<>(parameters);
        copy.put(path, checkK(path, k));
        return new ProgramState(copy, dependencyVersions);
    }

    /** This state with each predictor's state transformed; Retrieves and metadata are kept. */
    ProgramState mapPredictors(java.util.function.BiFunction<String, PredictorState, PredictorState> edit) {
        Map<String, Object> copy = new LinkedHashMap<>();
        parameters.forEach((path, value) -> copy.put(path, value instanceof PredictorState state
                ? Objects.requireNonNull(edit.apply(path, state), "state of " + path) : value));
        return new ProgramState(copy, dependencyVersions);
    }

    /** The {@code metadata.dependency_versions} this state was loaded with, or the defaults. */
    public Map<String, String> dependencyVersions() {
        return dependencyVersions;
    }

    /**
     * Checks that this state has exactly the program's predictors and Retrieves, and returns it in
     * the program's order (which is the order it saves in).
     */
    ProgramState forProgram(Map<String, Module> programParameters) {
        List<String> programPredictors = new ArrayList<>();
        List<String> programRetrieves = new ArrayList<>();
        programParameters.forEach((path, parameter) ->
                (parameter instanceof Retrieve ? programRetrieves : programPredictors).add(path));
        if (!new LinkedHashSet<>(programPredictors).equals(predictors.keySet())) {
            throw new DspyException("The state's predictor paths " + predictors.keySet()
                    + " do not match the program's " + programPredictors + ".");
        }
        if (!new LinkedHashSet<>(programRetrieves).equals(retrieveKs.keySet())) {
            throw new DspyException("The state's Retrieve paths " + retrieveKs.keySet() + " do not match the "
                    + "program's " + programRetrieves + "; start from the program's state() (set a k with "
                    + "withRetrieveK) or give every Retrieve's k to ProgramState.of(predictors, retrieveKs).");
        }
        if (List.copyOf(parameters.keySet()).equals(List.copyOf(programParameters.keySet()))) {
            return this;
        }
        Map<String, Object> ordered = new LinkedHashMap<>();
        programParameters.keySet().forEach(path -> ordered.put(path, parameters.get(path)));
        return new ProgramState(ordered, dependencyVersions);
    }

    private static int checkK(String path, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("The k of Retrieve '" + path + "' must be >= 1, not " + k + ".");
        }
        return k;
    }

    /** The state as DSPy's JSON (2-space indent, trailing newline). */
    public String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        if (parameters.size() == 1 && parameters.containsKey("self")) {
            root.putAll(dump(parameters.get("self")));
        } else {
            parameters.forEach((path, value) -> root.put(path, dump(value)));
        }
        root.put("metadata", Map.of("dependency_versions", dependencyVersions));
        // orjson with OPT_INDENT_2 and Python's json.dumps(indent=2, ensure_ascii=False) agree once
        // non-finite floats are nulls (see StateValues)
        return PythonValues.jsonDumpsIndented(root) + "\n";
    }

    /**
     * Writes {@link #toJson()} to {@code file}, atomically: a reader never sees a half-written
     * file. A new file gets the permissions of any new file (the umask), as Python's {@code open}
     * gives; an overwritten one keeps its permissions.
     *
     * @throws IOException if the file cannot be written
     */
    public void save(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        byte[] json = toJson().getBytes(StandardCharsets.UTF_8);
        Path temp = newSibling(absolute);
        try {
            // not Files.createTempFile: it creates the file 0600, and the rename would keep that
            Files.write(temp, json, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            keepPermissions(absolute, temp);
            Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static Path newSibling(Path file) {
        // unique per process and write; CREATE_NEW fails rather than clobber a leftover of the same name
        return file.resolveSibling("." + file.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + TEMP_NAMES.incrementAndGet() + ".tmp");
    }

    private static void keepPermissions(Path from, Path to) throws IOException {
        if (Files.getFileAttributeView(from, PosixFileAttributeView.class) == null) {
            return;
        }
        try {
            Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from));
        } catch (NoSuchFileException e) {
            // a new file: the umask's permissions
        }
    }

    private static Map<String, Object> dump(Object parameter) {
        if (parameter instanceof PredictorState state) {
            return dump(state);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("k", parameter); // DSPy's Retrieve.dump_state
        return out;
    }

    private static Map<String, Object> dump(PredictorState state) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("traces", List.of());
        out.put("train", List.of());
        List<Object> demos = new ArrayList<>();
        for (Example demo : state.demos()) {
            demos.add(StateValues.toJsonValue(StateValues.withCustomTypesFormatted(demo.toMap(), state.signature())));
        }
        out.put("demos", demos);
        List<Object> fields = new ArrayList<>();
        for (Field field : state.signature().fields()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("prefix", field.prefix());
            entry.put("description", field.savedDescription());
            fields.add(entry);
        }
        Map<String, Object> signature = new LinkedHashMap<>();
        signature.put("instructions", state.signature().instructions());
        signature.put("fields", fields);
        out.put("signature", signature);
        out.put("lm", state.lm() == null ? null : lmState(state.lm()));
        return out;
    }

    private static Map<String, Object> lmState(Lm lm) {
        Map<String, Object> saved = new LinkedHashMap<>();
        saved.put("_dspy_lm_class", "dspy.clients.lm.LM");
        lm.savedState().forEach((key, value) -> {
            if (!StateReader.isSecretKey(key)) {
                saved.put(key, value);
            }
        });
        return saved;
    }

    /**
     * Reads state from a file and checks it against {@code program}'s structure.
     *
     * @param file a JSON file saved by DSPy or dspy4j
     * @param program the program whose predictors and Retrieves the state is for
     * @param lmResolver turns a saved {@code lm} entry (model and options) into an LM; if
     *     {@code null}, a file that sets an LM is rejected
     * @return the state, to apply with {@link Module#withState(ProgramState)}
     * @throws StateLoadException naming the file, the predictor path and the problem
     */
    public static ProgramState load(Path file, Module program,
                                    @Nullable Function<Map<String, Object>, Lm> lmResolver) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new StateLoadException("Saved program " + file + " not found (looked for "
                    + file.toAbsolutePath().normalize() + "); check the path, or save the program there first.", e);
        } catch (IOException e) {
            throw new StateLoadException("Cannot read saved program " + file + ": " + e.getMessage(), e);
        }
        return fromJson(StateReader.utf8(bytes, file.toString()), file.toString(), program, lmResolver);
    }

    /**
     * Reads state from JSON text and checks it against {@code program}'s structure.
     *
     * @param json the saved JSON
     * @param source names the JSON's origin in error messages
     * @param program the program whose predictors the state is for
     * @param lmResolver turns saved LM settings into LMs, or {@code null}
     * @throws StateLoadException naming the source, the predictor path and the problem
     */
    public static ProgramState fromJson(String json, String source, Module program,
                                        @Nullable Function<Map<String, Object>, Lm> lmResolver) {
        return new StateReader(source, program, lmResolver).read(json);
    }

    private static Map<String, String> orderedOf(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof ProgramState other && predictors.equals(other.predictors)
                && retrieveKs.equals(other.retrieveKs);
    }

    @Override
    public int hashCode() {
        return predictors.hashCode() + 31 * retrieveKs.hashCode();
    }

    /** The paths in order, each Retrieve's with its {@code k}: {@code ProgramState[retrieve (k=3), answer]}. */
    @Override
    public String toString() {
        List<String> shown = new ArrayList<>();
        parameters.forEach((path, value) -> shown.add(value instanceof Integer k ? path + " (k=" + k + ")" : path));
        return "ProgramState" + shown;
    }
}
