package dev.dspy4j.module;

import dev.dspy4j.DspyException;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.data.Example;
import dev.dspy4j.data.Prediction;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Solves a task by having the LM write Python, running it, and answering from its output: the Java
 * counterpart of {@code dspy.ProgramOfThought}.
 *
 * <pre>{@code
 * try (GraalPyInterpreter python = GraalPyInterpreter.create()) {
 *     ProgramOfThought pot = ProgramOfThought.of("question -> answer", python);
 *     pot.call(Map.of("question", "What is 7 times 6?"), DspyContext.of(lm)).getString("answer");
 * }
 * }</pre>
 *
 * <p><b>Predictors</b>, three {@link ChainOfThought}s with DSPy's paths and fixed instructions:
 * {@code code_generate} (the inputs → {@code generated_code}), {@code code_regenerate} (the inputs,
 * {@code previous_code} and {@code error} → {@code generated_code}) and {@code generate_output}
 * (the inputs, {@code final_generated_code} and {@code code_output} → the signature's outputs).
 *
 * <p><b>The loop</b> is DSPy 3.3.1's. The code is cut from the reply (the first {@code ```python}
 * fence, before any {@code ---} or double blank line; a last line {@code name = ...} gets
 * {@code name} appended so its value is the output) and run in a fresh {@link CodeSession} of the
 * interpreter. A parse error or a {@link CodeExecutionException} goes to {@code code_regenerate}
 * with the code, up to {@code maxIters} attempts in all; then {@link CodeFailedException}. The
 * output reaches {@code generate_output} as Python's {@code json.dumps} of the result (of the
 * {@code SUBMIT}ted outputs when the code called {@code SUBMIT}).
 *
 * <p>The result is {@code generate_output}'s prediction: {@code reasoning} and the signature's
 * outputs. Immutable and thread-safe when the interpreter is; the caller owns (and closes) the
 * interpreter.
 */
public final class ProgramOfThought extends Module {

    /** DSPy's default number of attempts. */
    public static final int DEFAULT_MAX_ITERS = 3;

    private static final Logger LOG = LoggerFactory.getLogger(ProgramOfThought.class);
    private static final String GENERATED_CODE = "generated_code";
    private static final String CODE_DESC = "python code that answers the question";

    private final Signature signature;
    private final int maxIters;
    private final CodeInterpreter interpreter;
    private final ChainOfThought codeGenerate;
    private final ChainOfThought codeRegenerate;
    private final ChainOfThought generateOutput;

    private ProgramOfThought(Signature signature, int maxIters, CodeInterpreter interpreter) {
        for (String reserved : List.of(GENERATED_CODE, "previous_code", "error", "final_generated_code",
                "code_output")) {
            if (signature.hasField(reserved)) {
                throw new IllegalArgumentException("ProgramOfThought's signature must not have a field named '"
                        + reserved + "': ProgramOfThought uses that name itself. Rename the field in "
                        + signature.shorthand() + ".");
            }
        }
        this.signature = signature;
        this.maxIters = maxIters;
        this.interpreter = interpreter;
        this.codeGenerate = new ChainOfThought(stepSignature(signature, Mode.GENERATE));
        this.codeRegenerate = new ChainOfThought(stepSignature(signature, Mode.REGENERATE));
        this.generateOutput = new ChainOfThought(stepSignature(signature, Mode.ANSWER));
    }

    /**
     * A program of thought over DSPy's shorthand, e.g. {@code "question -> answer"}, with DSPy's
     * 3 attempts.
     */
    public static ProgramOfThought of(String signature, CodeInterpreter interpreter) {
        return of(Signature.parse(signature), interpreter);
    }

    /** A program of thought over {@code signature} with DSPy's 3 attempts. */
    public static ProgramOfThought of(Signature signature, CodeInterpreter interpreter) {
        return of(signature, DEFAULT_MAX_ITERS, interpreter);
    }

    /**
     * A program of thought over {@code signature}.
     *
     * @param maxIters the most code attempts (generate, then regenerate), at least 1
     * @param interpreter runs the code; shared by concurrent calls, each in its own session
     * @throws IllegalArgumentException if {@code maxIters < 1}, or the signature uses a name
     *     ProgramOfThought reserves ({@code generated_code}, {@code previous_code}, {@code error},
     *     {@code final_generated_code}, {@code code_output})
     */
    public static ProgramOfThought of(Signature signature, int maxIters, CodeInterpreter interpreter) {
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(interpreter, "interpreter");
        if (maxIters < 1) {
            throw new IllegalArgumentException("maxIters must be at least 1 (one code attempt), was " + maxIters);
        }
        return new ProgramOfThought(signature, maxIters, interpreter);
    }

    /**
     * A typed program of thought over records (see {@link Signature#fromRecords(Class, Class)}):
     * {@code call} returns the output record; {@link TypedModule#predict} also gives the reasoning.
     */
    public static <I extends Record, O extends Record> TypedModule<I, O> typed(Class<I> inputs, Class<O> outputs,
                                                                             CodeInterpreter interpreter) {
        return new TypedModule<>(of(Signature.fromRecords(inputs, outputs), interpreter), inputs, outputs);
    }

    /** The user's signature. */
    public Signature signature() {
        return signature;
    }

    /** The most code attempts per call. */
    public int maxIters() {
        return maxIters;
    }

    /** The interpreter the code runs in. */
    public CodeInterpreter interpreter() {
        return interpreter;
    }

    /** Writes the first code (path {@code code_generate.predict}). */
    public ChainOfThought codeGenerate() {
        return codeGenerate;
    }

    /** Rewrites code that failed (path {@code code_regenerate.predict}). */
    public ChainOfThought codeRegenerate() {
        return codeRegenerate;
    }

    /** Answers from the code and its output (path {@code generate_output.predict}). */
    public ChainOfThought generateOutput() {
        return generateOutput;
    }

    @Override
    protected Map<String, ?> children() {
        Map<String, Object> children = new LinkedHashMap<>();
        children.put("code_generate", codeGenerate);
        children.put("code_regenerate", codeRegenerate);
        children.put("generate_output", generateOutput);
        return children;
    }

    @Override
    protected Prediction forward(Example example) {
        DspyContext context = DspyContext.current();
        Map<String, @Nullable Object> inputs = new LinkedHashMap<>();
        for (Field field : signature.inputs()) {
            if (!example.has(field.name())) {
                throw new DspyException("ProgramOfThought needs the input '" + field.name() + "' of "
                        + signature.shorthand() + "; the call gave " + example.toMap().keySet() + ".");
            }
            inputs.put(field.name(), example.get(field.name()));
        }
        try (CodeSession session = interpreter.openSession(List.of())) {
            GeneratedCode code = GeneratedCode.parse(codeGenerate.call(inputs, context).get(GENERATED_CODE));
            Attempt attempt = code.error() != null ? new Attempt(null, code.error()) : run(code.code(), session);
            int hop = 1;
            while (attempt.error() != null) {
                LOG.warn("ProgramOfThought's code failed (attempt {} of {}): {}", hop, maxIters, attempt.error());
                if (hop == maxIters) {
                    throw new CodeFailedException("ProgramOfThought gave up after " + maxIters + " code attempts; "
                            + "the last failed with: " + attempt.error() + ". Raise maxIters, or use a model that "
                            + "writes working Python for this task.");
                }
                inputs.put("previous_code", code.code());
                inputs.put("error", attempt.error());
                code = GeneratedCode.parse(codeRegenerate.call(inputs, context).get(GENERATED_CODE));
                attempt = code.error() != null ? new Attempt(null, code.error()) : run(code.code(), session);
                hop++;
            }
            inputs.put("final_generated_code", code.code());
            inputs.put("code_output", attempt.output());
            return generateOutput.call(inputs, context);
        }
    }

    private static Attempt run(String code, CodeSession session) {
        if (code.isEmpty()) {
            return new Attempt(null, "Error: Empty code before execution.");
        }
        try {
            return new Attempt(GeneratedCode.outputText(session.execute(code)), null);
        } catch (CodeExecutionException e) {
            return new Attempt(null, e.getMessage());
        }
    }

    /** One run of code: its output as the LM sees it, or the error it gets instead. */
    private record Attempt(@Nullable String output, @Nullable String error) {}

    private enum Mode { GENERATE, REGENERATE, ANSWER }

    /** The base signature of one step, with DSPy's fixed instructions. */
    private static Signature stepSignature(Signature signature, Mode mode) {
        List<Field> fields = new ArrayList<>(signature.inputs());
        Field generated = Field.output(GENERATED_CODE, FieldType.STR).withDescription(CODE_DESC);
        switch (mode) {
            case GENERATE -> fields.add(generated);
            case REGENERATE -> {
                fields.add(Field.input("previous_code", FieldType.STR)
                        .withDescription("previously-generated python code that errored"));
                fields.add(Field.input("error", FieldType.STR)
                        .withDescription("error message from previously-generated python code"));
                fields.add(generated);
            }
            case ANSWER -> {
                fields.add(Field.input("final_generated_code", FieldType.STR).withDescription(CODE_DESC));
                fields.add(Field.input("code_output", FieldType.STR)
                        .withDescription("output of previously-generated python code"));
                fields.addAll(signature.outputs());
            }
        }
        String inputs = backticked(fields.stream().filter(Field::isInput).toList());
        String outputs = backticked(fields.stream().filter(f -> !f.isInput()).toList());
        String instructions = switch (mode) {
            case GENERATE -> "You will be given " + inputs + " and you will respond with " + outputs + ".\n"
                    + "Generating executable Python code that programmatically computes the correct " + outputs
                    + ".\n"
                    + "After you're done with the computation and think you have the final output, make sure to "
                    + "submit your output by calling the preloaded function `SUBMIT()`.\n"
                    + "You must structure your output in a dict, like {\"field_a\": value_a, ...}, with the correct "
                    + "value mapping for the field(s): " + backticked(signature.outputs()) + ".";
            case REGENERATE -> "You are given " + inputs + " due to an error in previous code.\n"
                    + "Your task is to correct the error and provide the new `generated_code`.";
            case ANSWER -> "Given the final code " + inputs + ", provide the final " + outputs + ".";
        };
        return Signature.of(instructions, fields);
    }

    static String backticked(List<Field> fields) {
        return fields.stream().map(f -> "`" + f.name() + "`").collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return "ProgramOfThought(" + signature.shorthand() + ", maxIters=" + maxIters + ")";
    }

    /**
     * Every code attempt of a {@link ProgramOfThought} call failed; the message holds the last
     * error. Not retryable: the same replies fail the same way.
     */
    public static final class CodeFailedException extends DspyException {
        CodeFailedException(String message) {
            super(message);
        }
    }
}
