package dev.dspy4j.spark;

import dev.dspy4j.module.ChainOfThought;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.module.ProgramState;
import dev.dspy4j.module.StateLoadException;
import dev.dspy4j.signature.Signature;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A program as data, to send to executors: how to build its structure (a {@link Predict} or
 * {@link ChainOfThought} from a signature string, or a {@link Module} subclass with a no-arg
 * constructor on the job's class path) plus, optionally, its learned state as DSPy-format JSON text
 * (what {@code program.save(...)} writes, in dspy4j or DSPy).
 *
 * <p>Nothing here is a live object: the structure is a signature string or a class name, the
 * state is text of at most {@value #MAX_STATE_CHARS} characters. {@link #build()} builds the
 * program and loads the state; the jobs call it once on the driver before they start (so a broken
 * signature, class or state fails fast with the loader's message) and once per executor JVM.
 *
 * <p>A saved state that sets a per-predictor LM is rejected: the job's {@link LmConfig} is the LM.
 *
 * <pre>{@code
 * SparkProgram program = SparkProgram.chainOfThought("question -> answer")
 *         .withStateFile(Path.of("qa-optimized.json"));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class SparkProgram implements Serializable {

    /** The longest saved state accepted, in characters (16 MiB): it travels in every task. */
    public static final int MAX_STATE_CHARS = 16 * 1024 * 1024;

    @Serial
    private static final long serialVersionUID = 1L;

    private enum Kind { PREDICT, CHAIN_OF_THOUGHT, CLASS }

    private final Kind kind;
    private final String structure;     // the signature or the class name
    private final String stateJson;     // null: the program as constructed
    private final String stateSource;   // names the state in errors

    private SparkProgram(Kind kind, String structure, String stateJson, String stateSource) {
        this.kind = kind;
        this.structure = structure;
        this.stateJson = stateJson;
        this.stateSource = stateSource;
    }

    /**
     * A {@link Predict} of the signature, e.g. {@code "question -> answer"}.
     *
     * @throws dev.dspy4j.signature.SignatureException if the signature does not parse
     */
    public static SparkProgram predict(String signature) {
        Signature.parse(Objects.requireNonNull(signature, "signature"));
        return new SparkProgram(Kind.PREDICT, signature, null, null);
    }

    /**
     * A {@link ChainOfThought} of the signature, e.g. {@code "question -> answer"}.
     *
     * @throws dev.dspy4j.signature.SignatureException if the signature does not parse
     */
    public static SparkProgram chainOfThought(String signature) {
        Signature.parse(Objects.requireNonNull(signature, "signature"));
        return new SparkProgram(Kind.CHAIN_OF_THOUGHT, signature, null, null);
    }

    /**
     * A {@link Module} subclass, built on each executor with its public no-arg constructor; the
     * class must be on the job's class path (in the application jar). Only its name travels.
     *
     * @throws IllegalArgumentException if the class has no public no-arg constructor
     */
    public static SparkProgram of(Class<? extends Module> type) {
        Objects.requireNonNull(type, "type");
        try {
            type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(type.getName() + " has no public no-arg constructor; executors build "
                    + "the program with it", e);
        }
        return new SparkProgram(Kind.CLASS, type.getName(), null, null);
    }

    /**
     * This program with learned state from JSON text (DSPy's or dspy4j's saved format). The text
     * is checked when the job starts, by {@link #build()}.
     *
     * @throws IllegalArgumentException if the text is longer than {@value #MAX_STATE_CHARS}
     */
    public SparkProgram withState(String json) {
        return withState(json, "the saved state given as text");
    }

    /**
     * This program with learned state read now (on the driver) from a saved program file.
     *
     * @throws IllegalArgumentException if the file is missing, unreadable or larger than
     *     {@value #MAX_STATE_CHARS} characters
     */
    public SparkProgram withStateFile(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            long size = Files.size(file);
            if (size > 4L * MAX_STATE_CHARS) {
                throw new IllegalArgumentException("Saved program " + file + " is " + size + " bytes; at most "
                        + MAX_STATE_CHARS + " characters travel with a Spark job.");
            }
            return withState(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("Saved program " + file + " not found (looked for "
                    + file.toAbsolutePath().normalize() + ")", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read saved program " + file + ": " + e.getMessage(), e);
        }
    }

    private SparkProgram withState(String json, String source) {
        Objects.requireNonNull(json, "json");
        if (json.length() > MAX_STATE_CHARS) {
            throw new IllegalArgumentException("The saved state (" + source + ") has " + json.length()
                    + " characters; at most " + MAX_STATE_CHARS + " travel with a Spark job.");
        }
        return new SparkProgram(kind, structure, json, source);
    }

    /**
     * Builds the program and loads its state. Called once on the driver to fail fast, and once
     * per executor JVM.
     *
     * @throws StateLoadException naming the state's source, the predictor path and the problem
     * @throws IllegalStateException if the class is not on the class path, is not a Module, or its
     *     constructor fails
     */
    public Module build() {
        Module program = switch (kind) {
            case PREDICT -> Predict.of(structure);
            case CHAIN_OF_THOUGHT -> ChainOfThought.of(structure);
            case CLASS -> instantiate(structure);
        };
        if (stateJson == null) {
            return program;
        }
        return program.withState(ProgramState.fromJson(stateJson, stateSource, program, null));
    }

    private static Module instantiate(String name) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Class<?> type;
        try {
            type = Class.forName(name, true, loader != null ? loader : SparkProgram.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Program class " + name + " is not on this JVM's class path; ship it in "
                    + "the application jar (or --jars)", e);
        }
        if (!Module.class.isAssignableFrom(type)) {
            throw new IllegalStateException(name + " does not extend dev.dspy4j.module.Module");
        }
        try {
            return (Module) type.getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("The constructor of " + name + " failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot create " + name + ": " + e, e);
        }
    }

    /** Every setting, for the executor runtime's fingerprint. */
    String fingerprintText() {
        return kind + ":" + structure + ":" + (stateJson == null ? "-" : stateJson);
    }

    @Override
    public String toString() {
        String what = switch (kind) {
            case PREDICT -> "Predict(\"" + structure + "\")";
            case CHAIN_OF_THOUGHT -> "ChainOfThought(\"" + structure + "\")";
            case CLASS -> structure;
        };
        return "SparkProgram[" + what + (stateJson == null ? "" : ", state from " + stateSource
                + " (" + stateJson.length() + " chars)") + "]";
    }

}
