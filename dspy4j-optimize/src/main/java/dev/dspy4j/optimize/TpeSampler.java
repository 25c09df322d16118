package dev.dspy4j.optimize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small Tree-structured Parzen Estimator over categorical parameters, seeded with Python's
 * Mersenne Twister. Until {@value #STARTUP} configurations are scored (the baseline included), picks
 * are uniform random. After that the
 * observations are split into the best {@code ceil(0.1·n)} (at most 25; at least 1) and the rest;
 * each parameter gets a smoothed frequency of each choice among the good ones, {@code l(x)}, and
 * among the others, {@code g(x)} (one pseudo-count per choice as the prior), and {@value #CANDIDATES}
 * values drawn from {@code l} compete on {@code l(x)/g(x)}; the best wins, the first on ties.
 * Parameters are treated independently (optuna's MIPROv2 sampler is multivariate).
 */
final class TpeSampler implements TrialSampler {

    static final int STARTUP = 10;
    static final int CANDIDATES = 24;

    private final PythonRandom random;
    private final List<Map<String, Integer>> params = new ArrayList<>();
    private final List<Double> scores = new ArrayList<>();

    TpeSampler(long seed) {
        this.random = new PythonRandom(seed);
    }

    @Override
    public Map<String, Integer> next(Map<String, Integer> space) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (params.size() < STARTUP) {
            space.forEach((name, count) -> out.put(name, random.randbelow(count)));
            return out;
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < scores.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> -scores.get(i)));   // stable: earlier first on ties
        int good = Math.max(1, Math.min(25, (int) Math.ceil(0.1 * order.size())));
        space.forEach((name, count) -> {
            double[] l = new double[count];
            double[] g = new double[count];
            Arrays.fill(l, 1.0);
            Arrays.fill(g, 1.0);
            for (int rank = 0; rank < order.size(); rank++) {
                Integer value = params.get(order.get(rank)).get(name);
                if (value != null && value >= 0 && value < count) {
                    (rank < good ? l : g)[value] += 1.0;
                }
            }
            double lTotal = Arrays.stream(l).sum();
            double gTotal = Arrays.stream(g).sum();
            int best = -1;
            double bestRatio = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < CANDIDATES; c++) {
                int x = draw(l, lTotal);
                double ratio = (l[x] / lTotal) / (g[x] / gTotal);
                if (ratio > bestRatio) {
                    bestRatio = ratio;
                    best = x;
                }
            }
            out.put(name, best);
        });
        return out;
    }

    @Override
    public void observe(Map<String, Integer> configuration, double score) {
        params.add(Map.copyOf(configuration));
        scores.add(Double.isNaN(score) ? Double.NEGATIVE_INFINITY : score);
    }

    private int draw(double[] weights, double total) {
        double u = random.random() * total;
        for (int i = 0; i < weights.length; i++) {
            u -= weights[i];
            if (u < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
