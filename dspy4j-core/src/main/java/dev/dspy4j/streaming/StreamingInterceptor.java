package dev.dspy4j.streaming;

import dev.dspy4j.lm.LmInterceptor;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.ResponseFormat;
import dev.dspy4j.lm.StreamChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Streams the LM calls of listened predictors and feeds their text to field streamers; other
 * calls pass through unchanged.
 */
final class StreamingInterceptor implements LmInterceptor {

    private final Map<String, List<StreamListener>> listenersByPath;
    private final Map<String, String> aliases;
    private final FieldFormat textFormat;
    private final ProgramStream sink;
    private final Set<StreamListener> used = ConcurrentHashMap.newKeySet();

    StreamingInterceptor(Map<String, List<StreamListener>> listenersByPath, Map<String, String> aliases,
                         FieldFormat textFormat,
                         ProgramStream sink) {
        this.listenersByPath = listenersByPath;
        this.aliases = aliases;
        this.textFormat = textFormat;
        this.sink = sink;
    }

    @Override
    public LmResponse intercept(LmRequest request, Chain chain) {
        String called = chain.call().predictorPath().isEmpty() ? "self" : chain.call().predictorPath();
        List<StreamListener> listeners = listenersByPath.getOrDefault(called, List.of());
        String path = aliases.getOrDefault(called, called);
        List<StreamListener> active = new ArrayList<>();
        for (StreamListener listener : listeners) {
            if (listener.reuse() || used.add(listener)) {
                active.add(listener);
            }
        }
        if (active.isEmpty()) {
            return chain.proceed(request);
        }
        FieldFormat format = request.responseFormat() instanceof ResponseFormat.Text ? textFormat : FieldFormat.JSON;
        List<FieldStreamer> streamers = new ArrayList<>();
        for (StreamListener listener : active) {
            streamers.add(new FieldStreamer(format, path, listener.field()));
        }
        return sink.readStream(() -> chain.proceedStream(request), stream -> {
            for (StreamChunk chunk = stream.next(); chunk != null; chunk = stream.next()) {
                if (chunk.choice() == 0 && !chunk.text().isEmpty()) {
                    for (FieldStreamer streamer : streamers) {
                        streamer.accept(chunk.text(), sink::emit);
                    }
                }
                sink.checkOpen();
            }
            for (FieldStreamer streamer : streamers) {
                streamer.end(sink::emit);
            }
            return stream.response();
        });
    }
}
