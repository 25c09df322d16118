package dev.dspy4j.examples;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.export.ExportedPredictor;
import dev.dspy4j.export.PromptExport;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.Predict;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Portable prompt export: loads a question-answering program that DSPy optimized and saved
 * ({@code optimized-qa.json}: learned instructions and three demos), exports its prompts as JSON
 * and Markdown into a folder, and prints the exact request it would send for one question, as an
 * OpenAI-compatible chat-completions body. Needs no LM and no network: the export is made from the
 * program alone.
 *
 * <p>Usage: {@code PromptExportExample [output-folder]} (default {@code target/prompt-export}).
 * Exit status 0 on success, 1 if the files cannot be written.
 */
public final class PromptExportExample {

    static final String QUESTION = "What is the capital of France?";

    private PromptExportExample() {}

    /** Entry point; exits with the status described in the class comment. */
    public static void main(String[] args) {
        Path folder = Path.of(args.length > 0 ? args[0] : "target/prompt-export");
        System.exit(run(folder, System.out, System.err));
    }

    /**
     * Runs the example.
     *
     * @param folder where {@code prompts.json} and {@code prompts.md} are written
     * @param out where the rendered request goes
     * @param err where problems go
     * @return the exit status
     */
    public static int run(Path folder, PrintStream out, PrintStream err) {
        try {
            // the program as its code defines it, with the state DSPy learned and saved
            Path saved = Files.createTempFile("optimized-qa", ".json");
            try (InputStream in = PromptExportExample.class.getResourceAsStream("optimized-qa.json")) {
                Files.write(saved, in.readAllBytes());
            }
            Module program = Predict.of("question -> answer").load(saved);
            Files.delete(saved);

            PromptExport export = PromptExport.of(program, DspyContext.empty());
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("prompts.json"), export.toJson());
            Files.writeString(folder.resolve("prompts.md"), export.toMarkdown());

            ExportedPredictor qa = export.predictor("self");
            out.println("Exported " + export.predictors().keySet() + " to " + folder.resolve("prompts.json")
                    + " and prompts.md. The request for \"" + QUESTION + "\":");
            out.println(qa.renderJson(Map.of("question", QUESTION)));
            return 0;
        } catch (IOException | UncheckedIOException e) {
            err.println("Could not write the export to " + folder.toAbsolutePath() + ": " + e.getMessage());
            return 1;
        }
    }
}
