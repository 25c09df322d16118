package dev.dspy4j.evaluate;

import dev.dspy4j.usage.UsageReport;
import java.math.RoundingMode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Renders an {@link EvaluationResult} as one self-contained HTML page: inline CSS, no script, no
 * chart (a plain table keeps evaluate free of a charting library). Every text is escaped: inputs,
 * outputs and feedback may hold markup.
 */
final class EvaluationHtml {

    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:2em;color:#222}
            table{border-collapse:collapse;margin:1em 0}
            th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top;white-space:pre-wrap}
            th{background:#f3f3f3}
            td.num{text-align:right;font-variant-numeric:tabular-nums}
            tr.failed{background:#fbeaea}
            """;

    private EvaluationHtml() {}

    static String render(EvaluationResult result) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>Evaluation report</title>\n<style>\n").append(STYLE)
                .append("</style>\n</head>\n<body>\n<h1>Evaluation report</h1>\n<p>Score: <strong>")
                .append(number(result.score())).append("</strong> on ").append(result.total()).append(" examples; ")
                .append(result.errors()).append(" failed.</p>\n");
        html.append("<table class=\"scores\">\n<tr><th>metric</th><th>score</th></tr>\n");
        result.scores().forEach((name, score) -> html.append("<tr><td>").append(escape(name))
                .append("</td><td class=\"num\">").append(number(score)).append("</td></tr>\n"));
        html.append("</table>\n");
        results(html, result);
        usage(html, result.usage());
        return html.append("</body>\n</html>\n").toString();
    }

    private static void results(StringBuilder html, EvaluationResult result) {
        Set<String> inputs = new LinkedHashSet<>();
        Set<String> outputs = new LinkedHashSet<>();
        for (ExampleResult row : result.results()) {
            inputs.addAll(row.example().inputKeys());
            if (row.prediction() != null) {
                outputs.addAll(row.prediction().toMap().keySet());
            }
        }
        List<String> metrics = result.metricNames();
        html.append("<h2>Results</h2>\n<table class=\"results\">\n<tr><th>#</th>");
        inputs.forEach(name -> html.append("<th>").append(escape(name)).append("</th>"));
        outputs.forEach(name -> html.append("<th>pred_").append(escape(name)).append("</th>"));
        List<String> withFeedback = ResultFormats.metricsWithFeedback(result);
        metrics.forEach(name -> html.append("<th>").append(escape(name)).append("</th>"));
        withFeedback.forEach(name -> html.append("<th>").append(escape(name)).append(" feedback</th>"));
        html.append("<th>error</th></tr>\n");
        for (ExampleResult row : result.results()) {
            html.append(row.failed() ? "<tr class=\"failed\">" : "<tr>").append("<td class=\"num\">")
                    .append(row.index()).append("</td>");
            inputs.forEach(name -> cell(html, row.example().get(name)));
            outputs.forEach(name -> cell(html, row.prediction() == null ? null : row.prediction().get(name)));
            metrics.forEach(name -> html.append("<td class=\"num\">")
                    .append(escape(ResultFormats.formatScore(row.scores().get(name)))).append("</td>"));
            withFeedback.forEach(name -> cell(html, row.scores().get(name).feedback()));
            cell(html, row.error() == null ? null : EvaluationRun.describe(row.error()));
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static void usage(StringBuilder html, UsageReport usage) {
        if (usage.models().isEmpty()) {
            return;
        }
        html.append("<h2>Usage</h2>\n<table class=\"usage\">\n<tr><th>model</th><th>LM calls</th><th>cache hits</th>"
                + "<th>prompt tokens</th><th>completion tokens</th><th>cost (USD)</th></tr>\n");
        for (UsageReport.ModelUsage row : usage.models()) {
            usageRow(html, row);
        }
        usageRow(html, usage.total());
        html.append("</table>\n");
    }

    private static void usageRow(StringBuilder html, UsageReport.ModelUsage row) {
        html.append("<tr><td>").append(escape(row.model())).append("</td><td class=\"num\">").append(row.calls())
                .append("</td><td class=\"num\">").append(row.cacheHits()).append("</td><td class=\"num\">")
                .append(row.promptTokens()).append("</td><td class=\"num\">").append(row.completionTokens())
                .append("</td><td class=\"num\">")
                .append(row.cost() == null ? "?" : row.cost().setScale(6, RoundingMode.HALF_UP).toPlainString())
                .append("</td></tr>\n");
    }

    private static void cell(StringBuilder html, Object value) {
        html.append("<td>").append(value == null ? "" : escape(String.valueOf(value))).append("</td>");
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** Escapes text for an HTML element or a double-quoted attribute. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
