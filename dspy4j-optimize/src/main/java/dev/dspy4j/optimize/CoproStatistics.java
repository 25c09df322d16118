package dev.dspy4j.optimize;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-depth score statistics of one predictor, as DSPy's COPRO {@code track_stats} computes them.
 * Not thread-safe.
 */
final class CoproStatistics {

    private final List<Integer> depths = new ArrayList<>();
    private final List<Double> max = new ArrayList<>();
    private final List<Double> average = new ArrayList<>();
    private final List<Double> min = new ArrayList<>();
    private final List<Double> std = new ArrayList<>();

    void add(int depth, List<Double> scores) {
        double sum = 0;
        for (double s : scores) {
            sum += s; // left to right, as Python's sum
        }
        depths.add(depth);
        max.add(scores.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
        average.add(sum / scores.size());
        min.add(scores.stream().mapToDouble(Double::doubleValue).min().orElseThrow());
        std.add(populationStdDev(scores));
    }

    CoproResult.Statistics build() {
        return new CoproResult.Statistics(depths, max, average, min, std);
    }

    /**
     * Python's {@code statistics.pstdev}, which rounds the exact result once: computed here to 60
     * digits and then rounded to a double, so it is the double Python returns.
     */
    static double populationStdDev(List<Double> scores) {
        MathContext precise = new MathContext(60);
        BigDecimal n = BigDecimal.valueOf(scores.size());
        BigDecimal sum = BigDecimal.ZERO;
        for (double s : scores) {
            sum = sum.add(new BigDecimal(s));
        }
        BigDecimal mean = sum.divide(n, precise);
        BigDecimal squares = BigDecimal.ZERO;
        for (double s : scores) {
            BigDecimal d = new BigDecimal(s).subtract(mean);
            squares = squares.add(d.multiply(d));
        }
        return squares.divide(n, precise).sqrt(precise).doubleValue();
    }
}
