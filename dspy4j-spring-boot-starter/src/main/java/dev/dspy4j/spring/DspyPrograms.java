package dev.dspy4j.spring;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.module.ChainOfThought;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.module.ProgramState;
import dev.dspy4j.module.StateLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * The programs configured under {@code dspy4j.programs}, by name, each loaded at start-up with its
 * optimized state. Each is also a {@code Module} bean of the same name.
 *
 * <pre>{@code
 * Prediction p = programs.call("classify", Map.of("text", "I love it"));
 * }</pre>
 */
public final class DspyPrograms {

    private final Map<String, Module> programs;
    private final ObjectProvider<DspyContext> context;

    private DspyPrograms(Map<String, Module> programs, ObjectProvider<DspyContext> context) {
        this.programs = Collections.unmodifiableMap(programs);
        this.context = context;
    }

    /**
     * Builds and loads every configured program.
     *
     * @param settings the programs by name
     * @param context the context programs run in, if an LM is configured
     * @param resources where state files are read from ({@code classpath:}, {@code file:}, ...)
     * @return the registry
     * @throws IllegalStateException naming the program and the property to fix if one cannot be
     *     built, or the {@link StateLoadException}'s message if its state file is missing or broken
     */
    public static DspyPrograms load(Map<String, DspyProperties.Program> settings, ObjectProvider<DspyContext> context,
                                    ResourceLoader resources) {
        Map<String, Module> programs = new LinkedHashMap<>();
        settings.forEach((name, program) -> programs.put(name, build(name, program, resources)));
        return new DspyPrograms(programs, context);
    }

    /** @return the names of the configured programs, in configuration order */
    public Set<String> names() {
        return programs.keySet();
    }

    /**
     * The program of that name.
     *
     * @param name the name under {@code dspy4j.programs}
     * @return the program with its loaded state
     * @throws NoSuchElementException naming the known programs if there is none of that name
     */
    public Module get(String name) {
        Module program = programs.get(name);
        if (program == null) {
            throw new NoSuchElementException("No dspy4j program named '" + name + "'; configured: " + programs.keySet()
                    + " (define it under dspy4j.programs." + name + ")");
        }
        return program;
    }

    /**
     * Calls the named program in the configured {@link DspyContext}.
     *
     * @param name the program's name
     * @param inputs its inputs by field name
     * @return the prediction
     * @throws IllegalStateException if no LM is configured (set {@code dspy4j.lm.model})
     */
    public Prediction call(String name, Map<String, ?> inputs) {
        Module program = get(name);
        DspyContext ctx = context.getIfAvailable();
        if (ctx == null) {
            throw new IllegalStateException("dspy4j program '" + name + "' needs an LM, but none is configured: "
                    + "set dspy4j.lm.model (and dspy4j.lm.api-key or the provider's key variable)");
        }
        return program.call(inputs, ctx);
    }

    private static Module build(String name, DspyProperties.Program settings, ResourceLoader resources) {
        String where = "dspy4j.programs." + name;
        Module program;
        if (settings.getProgramClass() != null && !settings.getProgramClass().isBlank()) {
            program = instantiate(where, settings.getProgramClass(), resources.getClassLoader());
        } else if (settings.getSignature() != null && !settings.getSignature().isBlank()) {
            String kind = settings.getModule() == null ? "predict" : settings.getModule().strip().toLowerCase();
            program = switch (kind) {
                case "predict" -> Predict.of(settings.getSignature());
                case "cot", "chain-of-thought", "chainofthought" -> ChainOfThought.of(settings.getSignature());
                default -> throw new IllegalStateException(where + ".module is '" + settings.getModule()
                        + "'; use predict or cot (or set " + where + ".program-class)");
            };
        } else {
            throw new IllegalStateException(where + " needs a signature (e.g. " + where
                    + ".signature=text -> label) or a program-class");
        }
        if (settings.getState() == null || settings.getState().isBlank()) {
            return program;
        }
        Resource resource = resources.getResource(settings.getState());
        String json;
        try (InputStream in = resource.getInputStream()) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StateLoadException("Cannot read the state of dspy4j program '" + name + "' from "
                    + settings.getState() + " (" + where + ".state): " + e.getMessage(), e);
        }
        return program.withState(ProgramState.fromJson(json, settings.getState(), program, null));
    }

    private static Module instantiate(String where, String className, ClassLoader loader) {
        try {
            Class<?> type = Class.forName(className, true, loader);
            if (!Module.class.isAssignableFrom(type)) {
                throw new IllegalStateException(where + ".program-class " + className + " is not a dev.dspy4j.module.Module");
            }
            return (Module) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(where + ".program-class " + className
                    + " cannot be made (it needs a public no-argument constructor): " + e, e);
        }
    }

    @Override
    public String toString() {
        return "DspyPrograms" + programs.keySet();
    }
}
