package dev.dspy4j.optimize;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * gepa's epoch-shuffled minibatches of trainset indices: at the start of each epoch the indices are
 * shuffled with the run's generator and padded to a multiple of the minibatch size with the least
 * frequent ones; iteration {@code i} takes the {@code i}-th slice (wrapping). Not thread-safe.
 */
final class EpochShuffledSampler {

    private final int trainSize;
    private final int minibatchSize;
    private final PythonRandom rng;
    private List<Integer> shuffled = new ArrayList<>();
    private int epoch = -1;

    EpochShuffledSampler(int trainSize, int minibatchSize, PythonRandom rng) {
        if (trainSize < 1) {
            throw new IllegalArgumentException("Cannot sample minibatches from an empty trainset.");
        }
        this.trainSize = trainSize;
        this.minibatchSize = minibatchSize;
        this.rng = rng;
    }

    /** The minibatch of iteration {@code iteration} (0-based, as gepa's {@code state.i}). */
    List<Integer> next(int iteration) {
        int base = iteration * minibatchSize;
        int currentEpoch = epoch == -1 ? 0 : base / Math.max(shuffled.size(), 1);
        if (shuffled.isEmpty() || currentEpoch > epoch) {
            epoch = currentEpoch;
            reshuffle();
        }
        int start = base % shuffled.size();
        return List.copyOf(shuffled.subList(start, start + minibatchSize));
    }

    /** The epoch and its shuffled, padded ids: what a checkpoint must keep to continue the draws. */
    Map<String, Object> state() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("shuffled", List.copyOf(shuffled));
        return m;
    }

    /** Restores a {@link #state()}. */
    void restore(Map<String, Object> state) {
        this.epoch = StepCheckpoint.integer(state.get("epoch"));
        this.shuffled = new ArrayList<>(StepCheckpoint.integers(state.get("shuffled")));
    }

    private void reshuffle() {
        shuffled = new ArrayList<>();
        for (int i = 0; i < trainSize; i++) {
            shuffled.add(i);
        }
        rng.shuffle(shuffled);
        Map<Integer, Integer> frequency = new LinkedHashMap<>();
        shuffled.forEach(id -> frequency.merge(id, 1, Integer::sum));
        int mod = trainSize % minibatchSize;
        for (int pad = mod == 0 ? 0 : minibatchSize - mod; pad > 0; pad--) {
            int least = leastCommon(frequency);
            shuffled.add(least);
            frequency.merge(least, 1, Integer::sum);
        }
    }

    /**
     * {@code Counter.most_common()[::-1][0][0]}: the lowest count; among equal counts the one
     * inserted last (most_common sorts stably by descending count, and the list is reversed).
     */
    private static int leastCommon(Map<Integer, Integer> frequency) {
        int least = -1;
        int count = Integer.MAX_VALUE;
        for (Map.Entry<Integer, Integer> e : frequency.entrySet()) {
            if (e.getValue() <= count) {
                least = e.getKey();
                count = e.getValue();
            }
        }
        return least;
    }
}
