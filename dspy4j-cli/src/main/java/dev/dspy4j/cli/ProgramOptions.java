package dev.dspy4j.cli;

import dev.dspy4j.module.ChainOfThought;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import dev.dspy4j.signature.Signature;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * How a command learns a program. A saved JSON file (dspy4j's or DSPy's) holds learned state, not
 * structure, so the structure comes from {@code --signature} with {@code --module} (one predictor)
 * or from {@code --program-class} (a {@link Module} subclass on the class path with a no-arg
 * constructor); {@code --program} then loads the state into it.
 */
final class ProgramOptions {

    /** The single-predictor modules {@code --module} can name. */
    enum Kind { PREDICT, COT }

    @Option(names = "--program", paramLabel = "FILE", description = "a saved program (dspy4j's or DSPy's program.save JSON)")
    @Nullable Path programFile;

    @Option(names = "--signature", paramLabel = "SIGNATURE",
            description = "the program's signature, e.g. \"question -> answer\" (a single-predictor program)")
    @Nullable String signature;

    @Option(names = "--module", paramLabel = "predict|cot", defaultValue = "predict",
            description = "with --signature: Predict or ChainOfThought (default: ${DEFAULT-VALUE})")
    Kind kind = Kind.PREDICT;

    @Option(names = "--program-class", paramLabel = "CLASS",
            description = "a dev.dspy4j.module.Module subclass with a no-arg constructor, on the class path")
    @Nullable String programClass;

    /**
     * The program: built from the signature or the class, with the saved state loaded if a file was given.
     *
     * @throws CliException with {@link ExitCodes#USAGE} if neither or both of signature and class
     *     are given, {@link ExitCodes#INPUT} if the file is missing
     */
    Module load() {
        Module program = structure();
        if (programFile == null) {
            return program;
        }
        requireReadable(programFile, "--program");
        return program.load(programFile);
    }

    /** The signature given with {@code --signature}, if any. */
    @Nullable Signature signatureOrNull() {
        return signature == null ? null : Signature.parse(signature);
    }

    /** The input field names of the program's first predictor (empty if it has none). */
    static List<String> inputNames(Module program) {
        return program.namedPredictors().values().stream().findFirst()
                .map(predict -> predict.signature().inputs().stream().map(f -> f.name()).toList())
                .orElse(List.of());
    }

    /** The output field names of the program's last predictor (empty if it has none). */
    static List<String> outputNames(Module program) {
        List<Predict> predictors = List.copyOf(program.namedPredictors().values());
        return predictors.isEmpty() ? List.of()
                : predictors.getLast().signature().outputs().stream().map(f -> f.name()).toList();
    }

    private Module structure() {
        if (signature != null && programClass != null) {
            throw CliException.usage("give either --signature or --program-class, not both");
        }
        if (signature != null) {
            return switch (kind) {
                case PREDICT -> Predict.of(signature);
                case COT -> ChainOfThought.of(signature);
            };
        }
        if (programClass != null) {
            return instantiate(programClass);
        }
        throw CliException.usage("say what the program is: --signature \"question -> answer\" [--module cot] "
                + "or --program-class com.example.MyProgram (a saved JSON file holds state, not structure)");
    }

    private static Module instantiate(String name) {
        Class<?> type;
        try {
            type = Class.forName(name, true, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            throw CliException.usage("--program-class " + name + " is not on the class path (add its jar with "
                    + "DSPY4J_CLASSPATH or java -cp)");
        }
        if (!Module.class.isAssignableFrom(type)) {
            throw CliException.usage("--program-class " + name + " does not extend dev.dspy4j.module.Module");
        }
        try {
            return (Module) type.getDeclaredConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            throw CliException.usage("--program-class " + name + " has no no-arg constructor");
        } catch (InvocationTargetException e) {
            throw new CliException(1, "the constructor of " + name + " failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw CliException.usage("cannot create " + name + ": " + e);
        }
    }

    static void requireReadable(Path file, String option) {
        if (!Files.isRegularFile(file)) {
            throw CliException.input(option + " " + file + ": no such file");
        }
        if (!Files.isReadable(file)) {
            throw CliException.input(option + " " + file + ": not readable");
        }
    }
}
