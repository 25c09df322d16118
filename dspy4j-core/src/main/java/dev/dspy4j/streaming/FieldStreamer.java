package dev.dspy4j.streaming;

import java.util.function.Consumer;

/** Turns a growing completion into the chunks of one field, each emitted once. */
final class FieldStreamer {

    private final FieldFormat format;
    private final String predictorPath;
    private final String field;
    private final StringBuilder text = new StringBuilder();
    private int emitted;
    private boolean done;

    FieldStreamer(FieldFormat format, String predictorPath, String field) {
        this.format = format;
        this.predictorPath = predictorPath;
        this.field = field;
    }

    /** Adds a piece of the completion and emits what became certain. */
    void accept(String piece, Consumer<StreamEvent> sink) {
        if (done) {
            return;
        }
        text.append(piece);
        emit(format.progress(text.toString(), field, false), sink);
    }

    /** The completion ended: emits the rest of the field, if it was seen at all. */
    void end(Consumer<StreamEvent> sink) {
        if (!done) {
            emit(format.progress(text.toString(), field, true), sink);
        }
    }

    boolean done() {
        return done;
    }

    private void emit(FieldFormat.Progress progress, Consumer<StreamEvent> sink) {
        if (!progress.started()) {
            return;
        }
        String value = progress.value();
        String chunk = value.length() > emitted ? value.substring(emitted) : "";
        emitted = Math.max(emitted, value.length());
        if (progress.complete()) {
            done = true;
            sink.accept(new StreamEvent.FieldChunk(predictorPath, field, chunk, true));
        } else if (!chunk.isEmpty()) {
            sink.accept(new StreamEvent.FieldChunk(predictorPath, field, chunk, false));
        }
    }
}
