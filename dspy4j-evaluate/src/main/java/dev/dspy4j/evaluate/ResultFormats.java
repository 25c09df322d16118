package dev.dspy4j.evaluate;

import com.github.freva.asciitable.AsciiTable;
import dev.dspy4j.DspyException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/** Renders an {@link EvaluationResult} as a table, CSV, JSON and HTML ({@link EvaluationHtml}). */
final class ResultFormats {

    private static final int MAX_CELL = 60;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ResultFormats() {}

    static String table(EvaluationResult result, int maxRows) {
        List<ExampleResult> rows = result.results();
        Set<String> inputs = new LinkedHashSet<>();
        Set<String> outputs = new LinkedHashSet<>();
        for (ExampleResult row : rows.subList(0, Math.min(maxRows, rows.size()))) {
            inputs.addAll(row.example().inputKeys());
            if (row.prediction() != null) {
                outputs.addAll(row.prediction().toMap().keySet());
            }
        }
        List<String> headers = new ArrayList<>();
        headers.add("#");
        headers.addAll(inputs);
        outputs.forEach(name -> headers.add("pred_" + name));
        headers.addAll(result.metricNames());
        List<String> withFeedback = metricsWithFeedback(result);
        withFeedback.forEach(name -> headers.add(name + "_feedback"));
        headers.add("error");
        List<Object[]> data = new ArrayList<>();
        for (ExampleResult row : rows.subList(0, Math.min(maxRows, rows.size()))) {
            List<String> cells = new ArrayList<>();
            cells.add(Integer.toString(row.index()));
            inputs.forEach(name -> cells.add(shorten(row.example().get(name))));
            outputs.forEach(name -> cells.add(row.prediction() == null ? "" : shorten(row.prediction().get(name))));
            result.metricNames().forEach(name -> cells.add(formatScore(row.scores().get(name))));
            withFeedback.forEach(name -> cells.add(shorten(row.scores().get(name).feedback())));
            cells.add(row.error() == null ? "" : shorten(EvaluationRun.describe(row.error())));
            data.add(cells.toArray());
        }
        String table = AsciiTable.getTable(headers.toArray(String[]::new), data.toArray(Object[][]::new));
        if (rows.size() > maxRows) {
            table += "\n... " + (rows.size() - maxRows) + " more rows";
        }
        return table + "\n";
    }

    static void writeCsv(EvaluationResult result, Path file) {
        Set<String> exampleKeys = new LinkedHashSet<>();
        Set<String> predictionKeys = new LinkedHashSet<>();
        for (ExampleResult row : result.results()) {
            exampleKeys.addAll(row.example().keys());
            if (row.prediction() != null) {
                predictionKeys.addAll(row.prediction().toMap().keySet());
            }
        }
        StringBuilder out = new StringBuilder();
        List<String> header = new ArrayList<>();
        header.add("index");
        header.addAll(exampleKeys);
        predictionKeys.forEach(name -> header.add("pred_" + name));
        header.addAll(result.metricNames());
        List<String> withFeedback = metricsWithFeedback(result);
        withFeedback.forEach(name -> header.add(name + "_feedback"));
        header.add("error");
        appendCsvLine(out, header);
        for (ExampleResult row : result.results()) {
            List<String> cells = new ArrayList<>();
            cells.add(Integer.toString(row.index()));
            exampleKeys.forEach(name -> cells.add(text(row.example().get(name))));
            predictionKeys.forEach(name -> cells.add(row.prediction() == null ? "" : text(row.prediction().get(name))));
            result.metricNames().forEach(name -> cells.add(formatScore(row.scores().get(name))));
            withFeedback.forEach(name -> cells.add(row.scores().get(name).feedback()));
            cells.add(row.error() == null ? "" : EvaluationRun.describe(row.error()));
            appendCsvLine(out, cells);
        }
        write(file, out.toString());
    }

    static void writeJson(EvaluationResult result, Path file) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("score", result.score());
        root.put("scores", result.scores());
        root.put("total", result.total());
        root.put("errors", result.errors());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ExampleResult row : result.results()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("index", row.index());
            entry.put("example", row.example().toMap());
            entry.put("prediction", row.prediction() == null ? null : row.prediction().toMap());
            Map<String, Double> values = new LinkedHashMap<>();
            Map<String, String> feedback = new LinkedHashMap<>();
            row.scores().forEach((name, score) -> {
                values.put(name, score.value());
                if (score.hasFeedback()) {
                    feedback.put(name, score.feedback());
                }
            });
            entry.put("scores", values);
            entry.put("feedback", feedback);
            entry.put("error", row.error() == null ? null : EvaluationRun.describe(row.error()));
            entry.put("usage", Map.of("prompt_tokens", row.usage().promptTokens(),
                    "completion_tokens", row.usage().completionTokens()));
            rows.add(entry);
        }
        root.put("results", rows);
        String text;
        try {
            text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (RuntimeException e) {
            throw new DspyException("Cannot write the evaluation results as JSON to " + file + ": " + e.getMessage(), e);
        }
        write(file, text + "\n");
    }

    static void writeHtml(EvaluationResult result, Path file) {
        write(file, EvaluationHtml.render(result));
    }

    private static void write(Path file, String text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DspyException("Cannot write the evaluation results to " + file + ": " + e.getMessage()
                    + ". Check that the directory is writable.", e);
        }
    }

    private static void appendCsvLine(StringBuilder out, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String cell = cells.get(i);
            if (cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0
                    || cell.indexOf('\r') >= 0) {
                out.append('"').append(cell.replace("\"", "\"\"")).append('"');
            } else {
                out.append(cell);
            }
        }
        out.append("\r\n");
    }

    /** The metrics that gave feedback for at least one example, in metric order. */
    static List<String> metricsWithFeedback(EvaluationResult result) {
        List<String> names = new ArrayList<>();
        for (String name : result.metricNames()) {
            if (result.results().stream().anyMatch(row -> row.scores().get(name).hasFeedback())) {
                names.add(name);
            }
        }
        return names;
    }

    static String formatScore(Score result) {
        if (result == null) {
            return "";
        }
        double score = result.value();
        if (score == Math.rint(score) && !Double.isInfinite(score)) {
            return String.format(Locale.ROOT, "%.1f", score);
        }
        return Double.toString(score);
    }

    private static String text(Object value) {
        return value == null ? "" : String.valueOf(value);
    }

    private static String shorten(Object value) {
        String text = text(value).replace('\n', ' ').replace('\r', ' ');
        return text.length() <= MAX_CELL ? text : text.substring(0, MAX_CELL - 3) + "...";
    }
}
