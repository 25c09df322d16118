package dev.dspy4j.spark;

import dev.dspy4j.adapter.Adapter;
import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.adapter.JsonAdapter;
import dev.dspy4j.adapter.XmlAdapter;

/**
 * The adapter the executors format prompts and parse replies with, as {@code dspy.configure(adapter=...)}
 * chooses it in DSPy. A saved program does not record its adapter, so a job that was optimized
 * with, say, {@code JSONAdapter} must name it here to send the same prompts.
 */
public enum SparkAdapter {
    /** {@link ChatAdapter#DEFAULT}: DSPy's default, with its fallback to JSON on a parse failure. */
    CHAT,
    /** {@link JsonAdapter#DEFAULT}. */
    JSON,
    /** {@link XmlAdapter#DEFAULT}. */
    XML;

    /** The adapter itself. */
    Adapter adapter() {
        return switch (this) {
            case CHAT -> ChatAdapter.DEFAULT;
            case JSON -> JsonAdapter.DEFAULT;
            case XML -> XmlAdapter.DEFAULT;
        };
    }
}
