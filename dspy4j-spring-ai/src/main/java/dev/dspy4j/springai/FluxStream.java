package dev.dspy4j.springai;

import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.LmStream;
import dev.dspy4j.lm.StreamChunk;
import dev.dspy4j.lm.ToolCall;
import dev.dspy4j.lm.Usage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

/**
 * A Spring AI {@code Flux<ChatResponse>} read as a dspy4j {@link LmStream}.
 *
 * <p>Backpressure: the subscriber requests at most {@link #WINDOW} responses ahead and one more for
 * each the reader takes, so the buffer never holds more than that. {@link #next()} waits for the
 * next response at most until the stream's deadline; the deadline, an interrupt of the reader and
 * {@link #close()} all cancel the subscription, which is how Spring AI's providers drop the
 * connection.
 *
 * <p>Each streamed {@link ChatResponse} carries the new text of each generation; the assembled
 * response concatenates it per generation and takes the tool calls, the last finish reason, the
 * last reported usage and model from the responses as they came.
 */
final class FluxStream implements LmStream, Subscriber<ChatResponse> {

    private static final String PROVIDER = "spring-ai";
    static final int WINDOW = 32;
    private static final Object END = new Object();
    private static final Object CLOSED = new Object();

    private final String modelName;
    private final Duration timeout;
    private final long deadlineNanos;
    /** Responses, {@link #END}, or the failure; room for the window plus the terminal signal. */
    private final BlockingQueue<Object> events = new ArrayBlockingQueue<>(WINDOW + 2);
    private final ArrayDeque<StreamChunk> pending = new ArrayDeque<>();
    private final List<StringBuilder> texts = new ArrayList<>();
    private final List<List<ToolCall>> toolCalls = new ArrayList<>();
    private final List<@Nullable String> finishReasons = new ArrayList<>();
    private Usage usage = Usage.ZERO;
    private @Nullable String responseModel;
    private volatile @Nullable Subscription subscription;
    private volatile boolean closed;
    private boolean finished;
    private @Nullable LmException failure;
    private @Nullable LmResponse response;

    FluxStream(String modelName, Duration timeout) {
        this.modelName = modelName;
        this.timeout = timeout;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
    }

    // --- the subscriber side (Spring AI's threads) ---

    @Override
    public void onSubscribe(Subscription s) {
        subscription = s;
        if (closed) {
            s.cancel();
        } else {
            s.request(WINDOW);
        }
    }

    @Override
    public void onNext(ChatResponse item) {
        if (!closed && !events.offer(item)) { // a publisher that ignores demand
            Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            events.offer(new IllegalStateException("the Flux sent more responses than requested (" + WINDOW
                    + " ahead); it breaks the Reactive Streams contract"));
        }
    }

    @Override
    public void onError(Throwable t) {
        if (!closed) {
            events.offer(t);
        }
    }

    @Override
    public void onComplete() {
        if (!closed) {
            events.offer(END);
        }
    }

    // --- the reader side ---

    @Override
    public @Nullable StreamChunk next() {
        while (true) {
            StreamChunk chunk = pending.poll();
            if (chunk != null) {
                return chunk;
            }
            if (finished) {
                return null;
            }
            if (failure != null) {
                throw failure;
            }
            if (closed) {
                throw new IllegalStateException("the stream was closed; open a new one with stream(request)");
            }
            Object item = take();
            if (item == CLOSED || closed) {
                throw new IllegalStateException("the stream was closed while reading; open a new one with"
                        + " stream(request)");
            }
            if (item == END) {
                response = assemble();
                finished = true;
                subscription = null;
                return pending.poll();
            }
            if (item instanceof Throwable t) {
                throw fail(t instanceof RuntimeException e ? SpringAiErrors.toLmException(e)
                        : new LmException("Spring AI stream for model " + modelName + " failed: " + t,
                                false, PROVIDER, 0, null, t));
            }
            try {
                add((ChatResponse) item);
            } catch (RuntimeException e) { // tool-call arguments that are not JSON
                throw fail(SpringAiErrors.toLmException(e));
            }
            Subscription s = subscription;
            if (s != null) {
                s.request(1);
            }
        }
    }

    private Object take() {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) { // even with responses queued: a slow reader must not stretch the call
            throw fail(deadline());
        }
        Object item;
        try {
            item = events.poll(remaining, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail(new LmException("Spring AI stream for model " + modelName
                    + " was interrupted; its subscription was cancelled", false, PROVIDER, 0, null, e));
        }
        if (item == null) {
            throw fail(deadline());
        }
        return item;
    }

    private LmException.Timeout deadline() {
        return new LmException.Timeout("Spring AI stream for model " + modelName + " did not end within "
                + timeout + "; its subscription was cancelled. Retry, or raise withStreamTimeout(...) on the"
                + " SpringAiLm", PROVIDER, 0, null, null);
    }

    private void add(ChatResponse item) {
        List<Generation> results = item.getResults();
        for (int i = 0; i < results.size(); i++) {
            while (texts.size() <= i) {
                texts.add(new StringBuilder());
                toolCalls.add(new ArrayList<>());
                finishReasons.add(null);
            }
            AssistantMessage message = results.get(i).getOutput();
            String text = message.getText();
            if (text != null && !text.isEmpty()) {
                texts.get(i).append(text);
                pending.add(new StreamChunk(i, text, ""));
            }
            for (AssistantMessage.ToolCall call : message.getToolCalls()) {
                toolCalls.get(i).add(ToolCall.parse(call.id(), call.name(), call.arguments()));
            }
            var metadata = results.get(i).getMetadata();
            String finish = metadata == null ? null : metadata.getFinishReason();
            if (finish != null && !finish.isEmpty()) {
                finishReasons.set(i, finish.toLowerCase(Locale.ROOT));
            }
        }
        if (item.getMetadata() != null) {
            String model = item.getMetadata().getModel();
            if (model != null && !model.isEmpty()) {
                responseModel = model;
            }
            var reported = item.getMetadata().getUsage();
            if (reported != null && (orZero(reported.getPromptTokens()) > 0
                    || orZero(reported.getCompletionTokens()) > 0)) {
                usage = new Usage(orZero(reported.getPromptTokens()), orZero(reported.getCompletionTokens()));
            }
        }
    }

    private LmResponse assemble() {
        List<Choice> choices = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            choices.add(new Choice(texts.get(i).toString(), toolCalls.get(i), null, finishReasons.get(i)));
        }
        if (choices.isEmpty()) {
            choices.add(new Choice("", List.of(), null, null));
        }
        return new LmResponse(choices, usage, responseModel, false);
    }

    private static long orZero(@Nullable Integer count) {
        return count == null ? 0 : Math.max(0, count);
    }

    private LmException fail(LmException e) {
        failure = e;
        close();
        return e;
    }

    @Override
    public LmResponse response() {
        if (response == null) {
            throw new IllegalStateException(failure != null ? "the stream failed: " + failure.getMessage()
                    : "the stream has not ended; read it with next() until it returns null");
        }
        return response;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Subscription s = subscription;
        if (s != null && !finished) {
            s.cancel();
        }
        events.clear();
        events.offer(CLOSED); // wakes a next() waiting on another thread, which then reports the close
    }
}
