package dev.dspy4j.cli;

import dev.dspy4j.adapter.Adapter;
import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.adapter.JsonAdapter;
import dev.dspy4j.adapter.XmlAdapter;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.export.ExportedPredictor;
import dev.dspy4j.export.PromptExport;
import dev.dspy4j.export.PromptExportException;
import dev.dspy4j.module.Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/**
 * {@code dspy4j export}: a saved program's exact prompts per predictor ({@link PromptExport}), as
 * JSON or Markdown, or one rendered request. Makes no LM call and needs no API key.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Exports the exact prompts of a saved program per predictor (system message, demos as turns, "
                + "the user template with {{field}} placeholders, options) as JSON or Markdown, or with --render the "
                + "exact request for some inputs. No LM call is made.",
            "Example: dspy4j export optimized.json --signature \"question -> answer\" --format markdown"})
final class ExportCommand implements Callable<Integer> {

    /** The adapters {@code --adapter} can name. */
    enum AdapterName { CHAT, JSON, XML }

    /** The formats {@code --format} can name. */
    enum Format { JSON, MARKDOWN }

    @ParentCommand
    @Nullable Dspy4jCli parent;

    @Parameters(paramLabel = "FILE", arity = "0..1", description = "the saved program (or give --program)")
    @Nullable Path file;

    @Mixin
    ProgramOptions program = new ProgramOptions();

    @Option(names = "--format", paramLabel = "json|markdown", defaultValue = "json",
            description = "the export's format (default: ${DEFAULT-VALUE})")
    Format format = Format.JSON;

    @Option(names = "--adapter", paramLabel = "chat|json|xml", defaultValue = "chat",
            description = "the adapter the program runs with (default: ${DEFAULT-VALUE})")
    AdapterName adapter = AdapterName.CHAT;

    @Option(names = "--lm", paramLabel = "MODEL",
            description = "the model the program runs with: names it in the export and decides its capabilities "
                    + "(structured outputs, native reasoning); its key is needed only where the provider needs one")
    @Nullable String model;

    @Option(names = "--render", paramLabel = "INPUTS.json",
            description = "instead of the export, print the request (an OpenAI-style JSON body) for these inputs: a "
                    + "JSON object of input values")
    @Nullable Path render;

    @Option(names = "--predictor", paramLabel = "PATH",
            description = "with --render: the predictor to render (needed when the program has more than one)")
    @Nullable String predictor;

    @Option(names = "--output", paramLabel = "FILE", description = "write here instead of stdout")
    @Nullable Path output;

    @Override
    public Integer call() throws IOException {
        CliIo io = java.util.Objects.requireNonNull(parent).io();
        if (file != null && program.programFile != null) {
            throw CliException.usage("give the saved program once: as FILE or with --program");
        }
        if (file != null) {
            program.programFile = file;
        }
        if (program.programFile == null) {
            throw CliException.usage("give the saved program to export: dspy4j export saved.json --signature ...");
        }
        Module module = program.load();
        DspyContext context = DspyContext.empty().withAdapter(adapter());
        if (model != null) {
            LmSettings settings = new LmSettings();
            settings.model = model;
            settings.maxRetries = 0;
            context = context.withLm(settings.build(io.environment()));
        }
        PromptExport export;
        try {
            export = PromptExport.of(module, context);
        } catch (PromptExportException e) {
            throw CliException.usage("this program cannot be exported: " + e.getMessage());
        }
        String text = render == null ? switch (format) {
            case JSON -> export.toJson();
            case MARKDOWN -> export.toMarkdown();
        } : rendered(export, render);
        if (output == null) {
            io.out().print(text.endsWith("\n") ? text : text + "\n");
            io.out().flush();
        } else {
            Files.writeString(output, text);
            io.err().println("dspy4j export: wrote " + output);
        }
        return ExitCodes.OK;
    }

    private Adapter adapter() {
        return switch (adapter) {
            case CHAT -> ChatAdapter.DEFAULT;
            case JSON -> JsonAdapter.DEFAULT;
            case XML -> XmlAdapter.DEFAULT;
        };
    }

    private String rendered(PromptExport export, Path inputsFile) {
        JsonNode inputs = InspectCommand.readJson(inputsFile, "--render");
        if (!inputs.isObject()) {
            throw CliException.input("--render " + inputsFile + " must hold one JSON object of input values");
        }
        ExportedPredictor chosen;
        if (predictor != null) {
            if (!export.predictors().containsKey(predictor)) {
                throw CliException.usage("--predictor " + predictor + " is not one of " + export.predictors().keySet());
            }
            chosen = export.predictor(predictor);
        } else if (export.predictors().size() == 1) {
            chosen = export.predictors().values().iterator().next();
        } else {
            throw CliException.usage("the program has " + export.predictors().size() + " predictors: choose one with "
                    + "--predictor " + export.predictors().keySet());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = JsonLines.MAPPER.treeToValue(inputs, LinkedHashMap.class);
        try {
            return chosen.renderJson(values);
        } catch (PromptExportException e) {
            throw CliException.input("--render " + inputsFile + ": " + e.getMessage(), e);
        }
    }
}
