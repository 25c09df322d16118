package dev.dspy4j.cli;

import com.github.freva.asciitable.AsciiTable;
import com.github.freva.asciitable.Column;
import com.github.freva.asciitable.HorizontalAlign;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code dspy4j inspect}: what a saved program holds, per predictor: its instructions, fields,
 * demo count and a table of the demos. Reads the file as data (dspy4j's and DSPy's formats are the
 * same), so no program structure is needed.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Shows what a saved program (dspy4j's or DSPy's program.save JSON) holds per predictor: "
                + "instructions, fields, demos.",
            "Example: dspy4j inspect optimized.json"})
final class InspectCommand implements Callable<Integer> {

    @ParentCommand
    @Nullable Dspy4jCli parent;

    @Parameters(paramLabel = "FILE", description = "the saved program")
    Path file = Path.of("");

    @Option(names = "--max-width", paramLabel = "N", defaultValue = "40",
            description = "cut demo cells to N characters (default: ${DEFAULT-VALUE})")
    int maxWidth = 40;

    @Override
    public Integer call() {
        CliIo io = java.util.Objects.requireNonNull(parent).io();
        if (maxWidth < 4) {
            throw CliException.usage("--max-width must be 4 or more, got " + maxWidth);
        }
        JsonNode root = readJson(file);
        Map<String, JsonNode> predictors = predictors(root);
        if (predictors.isEmpty()) {
            throw CliException.input(file + " holds no predictor state (no object with \"signature\" and \"demos\"): "
                    + "is it a file written by program.save?");
        }
        StringBuilder out = new StringBuilder();
        JsonNode versions = root.path("metadata").path("dependency_versions");
        out.append("Program ").append(file);
        if (versions.isObject()) {
            List<String> parts = new ArrayList<>();
            versions.properties().forEach(e -> parts.add(e.getKey() + " " + e.getValue().asString("")));
            out.append(" (saved with ").append(String.join(", ", parts)).append(')');
        }
        out.append("\n");
        predictors.forEach((path, state) -> describe(out, path, state));
        io.out().print(out);
        io.out().flush();
        return ExitCodes.OK;
    }

    static JsonNode readJson(Path file) {
        return readJson(file, "saved program");
    }

    static JsonNode readJson(Path file, String what) {
        ProgramOptions.requireReadable(file, what);
        try {
            return JsonLines.MAPPER.readTree(Files.readString(file));
        } catch (IOException e) {
            throw CliException.input(file + ": " + e.getMessage(), e);
        } catch (JacksonException e) {
            throw CliException.input(file + " is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The predictor states by path; a bare Predict is saved flat, as DSPy does, and is called {@code self}. */
    static Map<String, JsonNode> predictors(JsonNode root) {
        Map<String, JsonNode> predictors = new java.util.LinkedHashMap<>();
        if (isPredictor(root)) {
            predictors.put("self", root);
            return predictors;
        }
        root.properties().forEach(entry -> {
            if (!entry.getKey().equals("metadata") && isPredictor(entry.getValue())) {
                predictors.put(entry.getKey(), entry.getValue());
            }
        });
        return predictors;
    }

    private static boolean isPredictor(JsonNode node) {
        return node.isObject() && node.has("signature") && node.has("demos");
    }

    private void describe(StringBuilder out, String path, JsonNode state) {
        JsonNode signature = state.path("signature");
        out.append("\n== Predictor ").append(path).append(" ==\n");
        out.append("Instructions:\n");
        for (String line : signature.path("instructions").asString("").split("\n", -1)) {
            out.append("  ").append(line).append('\n');
        }
        out.append("Fields:\n");
        for (JsonNode field : signature.path("fields")) {
            out.append("  ").append(field.path("prefix").asString(""));
            String description = field.path("description").asString("");
            if (!description.isEmpty()) {
                out.append("  ").append(description);
            }
            out.append('\n');
        }
        JsonNode lm = state.path("lm");
        if (lm.isObject()) {
            out.append("LM: ").append(lm.path("model").asString("?")).append('\n');
        }
        JsonNode demos = state.path("demos");
        int augmented = 0;
        for (JsonNode demo : demos) {
            if (demo.path("augmented").asBoolean(false)) {
                augmented++;
            }
        }
        out.append("Demos: ").append(demos.size());
        if (demos.size() > 0) {
            out.append(" (").append(augmented).append(" bootstrapped, ").append(demos.size() - augmented)
                    .append(" labeled)\n");
            out.append(table(demos)).append('\n');
        } else {
            out.append('\n');
        }
    }

    private String table(JsonNode demos) {
        Set<String> columns = new LinkedHashSet<>();
        for (JsonNode demo : demos) {
            demo.properties().forEach(entry -> {
                if (!entry.getKey().equals("augmented")) {
                    columns.add(entry.getKey());
                }
            });
        }
        List<String> headers = new ArrayList<>();
        headers.add("#");
        headers.addAll(columns);
        List<Object[]> rows = new ArrayList<>();
        int index = 0;
        for (JsonNode demo : demos) {
            List<String> row = new ArrayList<>();
            row.add(Integer.toString(++index));
            for (String column : columns) {
                JsonNode value = demo.get(column);
                row.add(value == null ? "" : cut(value.isString() ? value.asString() : JsonLines.write(value)));
            }
            rows.add(row.toArray());
        }
        Column[] left = headers.stream().map(header -> new Column().header(header).dataAlign(HorizontalAlign.LEFT))
                .toArray(Column[]::new);
        return AsciiTable.getTable(left, rows.toArray(Object[][]::new));
    }

    private String cut(String text) {
        String flat = text.replace('\n', ' ');
        return flat.length() <= maxWidth ? flat : flat.substring(0, maxWidth - 3) + "...";
    }
}
