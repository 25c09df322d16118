package dev.dspy4j.optimize;

import dev.dspy4j.DspyException;
import dev.dspy4j.usage.UsageReport;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a report's chart with XChart: score per trial, full evaluations and minibatches as separate
 * series, and the spend so far on a second axis. XChart paints into a {@code BufferedImage}, which
 * needs no display: it works with {@code java.awt.headless=true}.
 */
final class ReportChart {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 420;

    private ReportChart() {}

    static byte[] png(OptimizationReport report) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(report.optimizer() + ": score per trial").xAxisTitle("trial").yAxisTitle("score").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setYAxisMin(0, 0.0);
        chart.getStyler().setYAxisMax(0, 100.0); // scores are on DSPy's 0-100 scale
        chart.getStyler().setYAxisMin(1, 0.0);
        List<OptimizationReport.Trial> trials = report.trials();
        boolean full = addScores(chart, "score (full evaluation)",
                trials.stream().filter(OptimizationReport.Trial::fullEvaluation).toList(), true);
        boolean minibatch = addScores(chart, "score (minibatch)",
                trials.stream().filter(t -> !t.fullEvaluation()).toList(), false);
        if (!full && !minibatch) { // XChart draws nothing without a series on the first axis
            chart.addSeries("no trials", new double[] {0}, new double[] {0});
        } else {
            addSpend(chart, report);
        }
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new DspyException("Cannot draw the report's chart as PNG: " + e.getMessage(), e);
        }
    }

    private static boolean addScores(XYChart chart, String name, List<OptimizationReport.Trial> trials, boolean line) {
        List<Integer> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (OptimizationReport.Trial trial : trials) {
            if (Double.isFinite(trial.score())) {
                x.add(trial.number());
                y.add(trial.score());
            }
        }
        if (x.isEmpty()) {
            return false;
        }
        XYSeries series = chart.addSeries(name, x, y);
        series.setMarker(SeriesMarkers.CIRCLE);
        if (!line) {
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        }
        return true;
    }

    /** Cumulative cost when the trials carry priced usage, else the optimizer's own count of spend. */
    private static void addSpend(XYChart chart, OptimizationReport report) {
        List<OptimizationReport.Trial> trials = report.trials();
        boolean priced = !trials.isEmpty() && trials.stream().allMatch(t -> t.usage().isPresent())
                && trials.stream().anyMatch(t -> t.usage().map(UsageReport::cost).orElse(BigDecimal.ZERO).signum() > 0);
        List<Integer> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        String title;
        if (priced) {
            BigDecimal sum = BigDecimal.ZERO;
            for (OptimizationReport.Trial trial : trials) {
                sum = sum.add(trial.usage().orElseThrow().cost());
                x.add(trial.number());
                y.add(sum.doubleValue());
            }
            title = "cost so far (USD)";
        } else {
            for (OptimizationReport.Trial trial : trials) {
                if (trial.spendSoFar().isPresent()) {
                    x.add(trial.number());
                    y.add((double) trial.spendSoFar().getAsLong());
                }
            }
            title = report.spendUnit() + " so far";
        }
        if (x.isEmpty()) {
            return;
        }
        XYSeries series = chart.addSeries(title, x, y);
        series.setMarker(SeriesMarkers.NONE);
        series.setYAxisGroup(1);
        chart.setYAxisGroupTitle(1, title);
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
    }
}
