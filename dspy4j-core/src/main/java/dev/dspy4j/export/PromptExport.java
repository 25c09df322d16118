package dev.dspy4j.export;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.module.Module;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The exact prompts of a compiled program, per predictor, in a form another stack can use without
 * dspy4j: fixed messages (system message, demos as turns), the final user message as a template
 * with {@code {{field_name}}} placeholders, and the request options. Answers DSPy's "optimized
 * prompts are trapped inside the library".
 *
 * <pre>{@code
 * Module program = new RagProgram().load(Path.of("optimized.json"));
 * PromptExport export = PromptExport.of(program, DspyContext.of(lm));
 * Files.writeString(Path.of("prompts.json"), export.toJson());
 * LmRequest request = export.predictor("generate_answer.predict").render(Map.of("question", "..."));
 * }</pre>
 *
 * <p>Supported adapters: {@code ChatAdapter}, {@code JSONAdapter} and {@code XMLAdapter}
 * (including the {@code response_format} JSON mode or structured outputs that the LM's
 * capabilities turn on). {@code TwoStepAdapter} is refused: its second call depends on the first
 * call's reply. Inputs of media types ({@code Image}, {@code Audio}, {@code File},
 * {@code Document}, custom types) and {@code History} or {@code Tool} inputs are refused with an
 * error naming the field: their content is not a text value in one user message.
 *
 * <p>The export is a snapshot taken under one context (adapter, options, LM capabilities): a
 * request rendered from it equals, byte for byte, the one {@code Predict} sends under that context
 * for the same inputs. Immutable and thread-safe.
 */
public final class PromptExport {

    /** The value of the JSON export's {@code format} key. */
    public static final String FORMAT = "dspy4j.prompt-export";

    /** The version of the JSON format this class writes; incompatible changes raise it. */
    public static final int VERSION = 1;

    private final Map<String, ExportedPredictor> predictors;

    PromptExport(Map<String, ExportedPredictor> predictors) {
        this.predictors = Collections.unmodifiableMap(new LinkedHashMap<>(predictors));
    }

    /**
     * Exports every predictor of {@code program} as it runs under {@code context}: the context's
     * adapter and options, each predictor's own options over them, and the capabilities of the
     * predictor's LM (its own, else the context's; none if neither is set).
     *
     * @param program the program, e.g. one loaded from a DSPy-saved or dspy4j-saved JSON file
     * @param context the adapter, options and LM the program would run with
     * @return the export, predictors in DSPy's order
     * @throws PromptExportException if a predictor cannot be exported (the message names it and the
     *     field)
     */
    public static PromptExport of(Module program, DspyContext context) {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(context, "context");
        return PromptExporter.export(program, context);
    }

    /**
     * Exports every predictor of {@code program} as it runs under the {@linkplain
     * DspyContext#current() current context} (the one bound by {@link DspyContext#bind()}, else an
     * empty one): see {@link #of(Module, DspyContext)}.
     *
     * @param program the program
     * @return the export, predictors in DSPy's order
     * @throws PromptExportException if a predictor cannot be exported
     */
    public static PromptExport of(Module program) {
        return of(program, DspyContext.current());
    }

    /** The exported predictors by path, in DSPy's order. */
    public Map<String, ExportedPredictor> predictors() {
        return predictors;
    }

    /**
     * One exported predictor.
     *
     * @param path its path, e.g. {@code self} for a lone {@code Predict}
     * @return the predictor
     * @throws PromptExportException if the program has no predictor at {@code path}
     */
    public ExportedPredictor predictor(String path) {
        ExportedPredictor predictor = predictors.get(path);
        if (predictor == null) {
            throw new PromptExportException("No predictor '" + path + "' in this export; its predictors are "
                    + predictors.keySet() + ".");
        }
        return predictor;
    }

    /**
     * The export as JSON in the versioned {@code dspy4j.prompt-export} format (documented in
     * {@code docs/export.md}): two-space indent, keys in a fixed order, UTF-8 characters unescaped,
     * ending in a newline. The same program under the same context gives the same text.
     */
    public String toJson() {
        return ExportWriters.json(this);
    }

    /** The export as Markdown: one section per predictor, with its options and fenced messages. */
    public String toMarkdown() {
        return ExportWriters.markdown(this);
    }

    @Override
    public String toString() {
        return "PromptExport" + predictors.keySet();
    }
}
