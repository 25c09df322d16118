package dev.dspy4j.streaming;

import dev.dspy4j.trace.DspyListener;
import dev.dspy4j.trace.Span;
import dev.dspy4j.trace.SpanKind;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Turns tool-call and module spans into status messages on the stream. */
final class StatusListener implements DspyListener {

    private final StatusMessageProvider provider;
    private final ProgramStream sink;

    StatusListener(StatusMessageProvider provider, ProgramStream sink) {
        this.provider = provider;
        this.sink = sink;
    }

    @Override
    public void onStart(Span span) {
        if (span.kind() == SpanKind.TOOL_CALL) {
            send(provider.toolStart(span.name()));
        } else if (span.kind() == SpanKind.MODULE) {
            send(provider.moduleStart(span.name()));
        }
    }

    @Override
    public void onEnd(Span span, Map<String, Object> attributes) {
        ended(span);
    }

    @Override
    public void onFailed(Span span, Throwable error) {
        ended(span);
    }

    private void ended(Span span) {
        if (span.kind() == SpanKind.TOOL_CALL) {
            send(provider.toolEnd(span.name()));
        } else if (span.kind() == SpanKind.MODULE) {
            send(provider.moduleEnd(span.name()));
        }
    }

    private void send(@Nullable String message) {
        if (message != null) {
            sink.emit(new StreamEvent.Status(message));
        }
    }
}
