package dev.dspy4j.optimize;

import dev.dspy4j.usage.UsageReport;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Renders an {@link OptimizationReport} as one self-contained HTML page: inline CSS, the chart as
 * a {@code data:} PNG, no script. Every text is escaped: instructions and demos come from LMs.
 */
final class ReportHtml {

    static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:2em;color:#222}
            table{border-collapse:collapse;margin:1em 0}
            th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
            th{background:#f3f3f3}
            td.num{text-align:right;font-variant-numeric:tabular-nums}
            tr.best{background:#eaf6ea}
            pre{white-space:pre-wrap;background:#f8f8f8;border:1px solid #ddd;padding:8px;max-width:100em}
            img{max-width:100%}
            """;

    private ReportHtml() {}

    static String render(OptimizationReport report, byte[] png) {
        StringBuilder html = new StringBuilder();
        String title = report.optimizer() + " report";
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n")
                .append("<h1>").append(escape(title)).append("</h1>\n")
                .append("<p>Best score: <strong>").append(score(report.bestScore())).append("</strong> of ")
                .append(report.trials().size()).append(" trials.</p>\n");
        settings(html, report.settings());
        html.append("<h2>Score per trial</h2>\n<img alt=\"score per trial\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\">\n");
        trials(html, report);
        prompts(html, report);
        report.usage().ifPresent(usage -> usage(html, usage));
        return html.append("</body>\n</html>\n").toString();
    }

    private static void settings(StringBuilder html, Map<String, String> settings) {
        if (settings.isEmpty()) {
            return;
        }
        html.append("<h2>Settings</h2>\n<table class=\"settings\">\n");
        settings.forEach((name, value) -> html.append("<tr><th>").append(escape(name)).append("</th><td>")
                .append(escape(value)).append("</td></tr>\n"));
        html.append("</table>\n");
    }

    private static void trials(StringBuilder html, OptimizationReport report) {
        Set<String> paths = new LinkedHashSet<>();
        report.trials().forEach(t -> paths.addAll(t.instructions().keySet()));
        boolean spend = report.trials().stream().anyMatch(t -> t.spendSoFar().isPresent());
        boolean usage = report.trials().stream().anyMatch(t -> t.usage().isPresent());
        html.append("<h2>Trials</h2>\n<table class=\"trials\">\n<tr><th>#</th><th>score</th><th>evaluated on</th>");
        paths.forEach(path -> html.append("<th>instruction (").append(escape(path)).append(")</th>"));
        html.append("<th>demos</th>");
        if (spend) {
            html.append("<th>").append(escape(report.spendUnit())).append(" so far</th>");
        }
        if (usage) {
            html.append("<th>LM calls</th><th>tokens (prompt / completion)</th><th>cost (USD)</th>");
        }
        html.append("</tr>\n");
        for (OptimizationReport.Trial trial : report.trials()) {
            boolean best = trial.fullEvaluation() && trial.score() == report.bestScore();
            html.append(best ? "<tr class=\"best\">" : "<tr>").append("<td class=\"num\">").append(trial.number())
                    .append("</td><td class=\"num\">").append(score(trial.score())).append("</td><td>")
                    .append(trial.fullEvaluation() ? "full valset" : "minibatch").append("</td>");
            paths.forEach(path -> html.append("<td>").append(escape(trial.instructions().getOrDefault(path, "")))
                    .append("</td>"));
            html.append("<td class=\"num\">").append(trial.demos()).append("</td>");
            if (spend) {
                html.append("<td class=\"num\">")
                        .append(trial.spendSoFar().isPresent() ? Long.toString(trial.spendSoFar().getAsLong()) : "")
                        .append("</td>");
            }
            if (usage) {
                UsageReport.ModelUsage total = trial.usage().map(UsageReport::total).orElse(null);
                html.append(total == null ? "<td></td><td></td><td></td>" : "<td class=\"num\">" + total.calls()
                        + "</td><td class=\"num\">" + total.promptTokens() + " / " + total.completionTokens()
                        + "</td><td class=\"num\">" + money(trial.usage().orElseThrow().cost()) + "</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static void prompts(StringBuilder html, OptimizationReport report) {
        html.append("<h2>Best program's prompts</h2>\n");
        for (OptimizationReport.PredictorPrompt prompt : report.bestPrompts()) {
            html.append("<h3>").append(escape(prompt.path())).append("</h3>\n<p>").append(prompt.demos())
                    .append(" demos. Instructions:</p>\n<pre class=\"instructions\">").append(escape(prompt.instructions()))
                    .append("</pre>\n<p>System message:</p>\n<pre class=\"system\">")
                    .append(escape(prompt.systemMessage())).append("</pre>\n<p>User message:</p>\n<pre class=\"user\">")
                    .append(escape(prompt.userMessage())).append("</pre>\n");
        }
    }

    private static void usage(StringBuilder html, UsageReport usage) {
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
                .append("</td><td class=\"num\">").append(row.cost() == null ? "?" : money(row.cost()))
                .append("</td></tr>\n");
    }

    private static String score(double score) {
        return Double.isNaN(score) ? "–" : String.format(Locale.ROOT, "%.2f", score);
    }

    private static String money(BigDecimal amount) {
        return amount.setScale(6, RoundingMode.HALF_UP).toPlainString();
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
