package dev.dspy4j.module;

import dev.dspy4j.adapter.Adapter;
import dev.dspy4j.signature.Field;
import dev.dspy4j.signature.FieldType;
import dev.dspy4j.signature.Signature;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A ReAct run's steps so far: {@code thought_i}, {@code tool_name_i}, {@code tool_args_i},
 * {@code observation_i}, in order. Not thread-safe: one per run.
 */
final class Trajectory {

    /** The keys each step adds, in order. */
    static final int KEYS_PER_STEP = 4;

    private final Map<String, @Nullable Object> entries = new LinkedHashMap<>();

    void add(int index, @Nullable Object thought, String toolName, @Nullable Object toolArgs,
             @Nullable Object observation) {
        entries.put("thought_" + index, thought);
        entries.put("tool_name_" + index, toolName);
        entries.put("tool_args_" + index, toolArgs);
        entries.put("observation_" + index, observation);
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * Drops the oldest step, as DSPy's {@code truncate_trajectory} does.
     *
     * @return {@code false} if there is at most one step, which cannot be dropped: the prompt
     *     would then lose everything learned and overflow the same way again
     */
    boolean dropOldestStep() {
        if (entries.size() <= KEYS_PER_STEP) {
            return false;
        }
        Iterator<String> keys = entries.keySet().iterator();
        for (int i = 0; i < KEYS_PER_STEP; i++) {
            keys.next();
            keys.remove();
        }
        return true;
    }

    /**
     * The text the predictors get as {@code trajectory}: the adapter's user-message rendering of
     * one input field per key (DSPy formats the signature {@code "k1, k2, ... -> x"}), or
     * {@code ""} when empty.
     */
    String format(Adapter adapter) {
        return format(adapter, entries);
    }

    /** {@link #format(Adapter)} of any ordered map of steps (CodeAct's keys differ from ReAct's). */
    static String format(Adapter adapter, Map<String, @Nullable Object> entries) {
        if (entries.isEmpty()) {
            return "";
        }
        List<Field> fields = new ArrayList<>(entries.size() + 1);
        for (String key : entries.keySet()) {
            fields.add(Field.input(key, FieldType.STR));
        }
        fields.add(Field.output("x", FieldType.STR));
        return adapter.formatUserMessageContent(Signature.of(null, fields), entries);
    }

    /** The steps as an unmodifiable, ordered map (a snapshot). */
    Map<String, @Nullable Object> snapshot() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }
}
