package dev.dspy4j.langchain4j;

import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.ContentPart;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.LmStream;
import dev.dspy4j.lm.Message;
import dev.dspy4j.lm.ResponseFormat;
import dev.dspy4j.lm.ToolCall;
import dev.dspy4j.lm.ToolChoice;
import dev.dspy4j.lm.ToolSpec;
import dev.dspy4j.lm.Usage;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A langchain4j {@link ChatModel} used as a dspy4j {@link Lm}: keep the langchain4j client you
 * configured (provider, HTTP client, listeners) and run dspy4j signatures, modules and optimizers
 * on it.
 *
 * <p>Each {@link LmRequest} becomes one {@link ChatRequest}: messages keep their roles and order
 * and their text byte for byte (so the adapter's prompt reaches the provider unchanged), images
 * become {@link ImageContent}, assistant tool calls and tool results map to langchain4j's tool
 * execution messages, tools become {@link ToolSpecification}s with their JSON schema, and the
 * response format, temperature, max tokens and stop sequences map to the request parameters. The
 * {@link ChatResponse} comes back as one {@link Choice} with its text, tool calls and finish
 * reason, and its token usage as a dspy4j {@link Usage}.
 *
 * <p>What does not map, and fails with {@link LmException.BadRequest} rather than being dropped
 * silently: audio, file and document parts, a named tool choice, {@code n > 1}, and a seed
 * (langchain4j's request has none; set it on the provider's model instead). Other
 * {@link LmOptions#extra()} entries are ignored, as a langchain4j request has no place for them.
 *
 * <p>langchain4j's exceptions become dspy4j's: {@link RateLimitException} to
 * {@link LmException.RateLimited}, {@link TimeoutException} to {@link LmException.Timeout},
 * {@link AuthenticationException} to {@link LmException.Authentication}, and so on, so that
 * dspy4j's {@code Retry} and cache interceptors work over the bridge. Turn off langchain4j's own
 * retries ({@code maxRetries(0)} on its model builders) when dspy4j's {@code Retry} is in the
 * chain, or the two multiply.
 *
 * <p>Streaming: built with a {@link StreamingChatModel} ({@link #streaming} or
 * {@link #withStreamingModel}), {@link #stream} yields langchain4j's partial responses as they
 * arrive, bounded by the {@linkplain #withStreamTimeout(Duration) stream timeout}; closing the
 * stream cancels the call. With a {@link ChatModel} only, it replays the whole response as one
 * chunk.
 *
 * <p>Thread-safe if the wrapped model is (langchain4j's provider models are).
 */
public final class LangChain4jLm implements Lm {

    private static final String PROVIDER = "langchain4j";

    /** The default {@link #withStreamTimeout(Duration) stream timeout}, as dspy4j's own clients. */
    public static final Duration DEFAULT_STREAM_TIMEOUT = Duration.ofMinutes(10);

    private final @Nullable ChatModel model;
    private final @Nullable StreamingChatModel streamingModel;
    private final String modelName;
    private final Duration streamTimeout;

    private LangChain4jLm(@Nullable ChatModel model, @Nullable StreamingChatModel streamingModel, String modelName,
                          Duration streamTimeout) {
        this.model = model;
        this.streamingModel = streamingModel;
        this.modelName = modelName;
        this.streamTimeout = streamTimeout;
    }

    /**
     * Wraps a langchain4j chat model.
     *
     * @param model the langchain4j model, configured as usual
     * @param modelName the name dspy4j reports (history, cache keys, saved state), for example
     *     {@code "openai/gpt-4o-mini"}
     * @return the model as a dspy4j LM
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code modelName} is blank
     */
    public static LangChain4jLm of(ChatModel model, String modelName) {
        Objects.requireNonNull(model, "model");
        return new LangChain4jLm(model, null, checkName(modelName), DEFAULT_STREAM_TIMEOUT);
    }

    /**
     * Wraps a langchain4j streaming chat model: {@link #stream} yields its partial responses as
     * they arrive, and {@link #call} reads the stream to its end.
     *
     * @param model the langchain4j streaming model, configured as usual
     * @param modelName the name dspy4j reports (history, cache keys, saved state)
     * @return the model as a dspy4j LM
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code modelName} is blank
     */
    public static LangChain4jLm streaming(StreamingChatModel model, String modelName) {
        Objects.requireNonNull(model, "model");
        return new LangChain4jLm(null, model, checkName(modelName), DEFAULT_STREAM_TIMEOUT);
    }

    private static String checkName(String modelName) {
        Objects.requireNonNull(modelName, "modelName");
        if (modelName.isBlank()) {
            throw new IllegalArgumentException("A LangChain4jLm needs a model name for history and cache keys;"
                    + " got a blank one");
        }
        return modelName;
    }

    /**
     * This LM streaming through {@code streamingModel} (usually the same provider's
     * {@code OpenAiStreamingChatModel} or similar), while {@link #call} keeps using the
     * {@link ChatModel} if there is one.
     *
     * @throws NullPointerException if {@code streamingModel} is null
     */
    public LangChain4jLm withStreamingModel(StreamingChatModel streamingModel) {
        Objects.requireNonNull(streamingModel, "streamingModel");
        return new LangChain4jLm(model, streamingModel, modelName, streamTimeout);
    }

    /**
     * This LM with another whole-stream deadline: from {@link #stream} to the stream's end. When it
     * passes, {@link LmStream#next()} fails with a retryable {@link LmException.Timeout} and the
     * call is cancelled. Default {@link #DEFAULT_STREAM_TIMEOUT}. It bounds {@link #call} too when
     * there is no {@link ChatModel} (the call reads a stream); calls through a {@link ChatModel} are
     * bounded by that model's own timeouts.
     *
     * @throws IllegalArgumentException if not positive
     */
    public LangChain4jLm withStreamTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("withStreamTimeout needs a positive duration; got " + timeout);
        }
        return new LangChain4jLm(model, streamingModel, modelName, timeout);
    }

    /** The wrapped langchain4j model, or {@code null} when built with {@link #streaming} only. */
    public @Nullable ChatModel chatModel() {
        return model;
    }

    /** The wrapped langchain4j streaming model, or {@code null} when there is none. */
    public @Nullable StreamingChatModel streamingChatModel() {
        return streamingModel;
    }

    /** The whole-stream deadline (see {@link #withStreamTimeout(Duration)}). */
    public Duration streamTimeout() {
        return streamTimeout;
    }

    @Override
    public String model() {
        return modelName;
    }

    /**
     * Function calling and JSON-schema response formats, as langchain4j's {@link ChatRequest}
     * carries both; whether the provider behind it honours them is up to that provider.
     */
    @Override
    public LmCapabilities capabilities() {
        return new LmCapabilities(true, false, true, Set.of("temperature", "max_tokens", "stop"));
    }

    /**
     * Sends the request through the langchain4j model.
     *
     * @throws LmException.BadRequest if the request uses something that does not map (see the
     *     class documentation) or the provider rejected it
     * @throws LmException the mapped kind of any langchain4j failure
     */
    @Override
    public LmResponse call(LmRequest request) {
        ChatRequest chatRequest = toChatRequest(request);
        if (model == null) {
            try (LmStream stream = HandlerStream.start(Objects.requireNonNull(streamingModel), chatRequest,
                    modelName, streamTimeout)) {
                while (stream.next() != null) {
                    // the complete response is assembled by langchain4j
                }
                return stream.response();
            }
        }
        ChatResponse response;
        try {
            response = model.chat(chatRequest);
        } catch (RuntimeException e) {
            throw LangChain4jErrors.toLmException(e);
        }
        return toLmResponse(response);
    }

    /**
     * Streams the request through the {@link StreamingChatModel}, if this LM has one: the request
     * is the one {@link #call} sends, each partial response (and partial thinking, as reasoning)
     * becomes a chunk as it arrives, and {@link LmStream#response()} is langchain4j's complete
     * response mapped as {@link #call} maps it (text, tool calls, thinking, finish reason, token
     * usage). Without a streaming model, the {@link ChatModel}'s whole response is one chunk.
     *
     * <p>Closing the stream, interrupting its reader, or the
     * {@linkplain #withStreamTimeout(Duration) stream timeout} cancels the call through
     * langchain4j's {@code StreamingHandle} (for providers that pass one).
     *
     * @throws LmException.BadRequest if the request uses something that does not map (as for
     *     {@link #call})
     */
    @Override
    public LmStream stream(LmRequest request) {
        if (streamingModel == null) {
            return LmStream.of(call(request));
        }
        return HandlerStream.start(streamingModel, toChatRequest(request), modelName, streamTimeout);
    }

    static ChatRequest toChatRequest(LmRequest request) {
        LmOptions options = request.options();
        if (options.n() != null && options.n() > 1) {
            throw unsupported("n=" + options.n() + " (a langchain4j request returns one choice)");
        }
        if (options.seed() != null) {
            throw unsupported("a seed (langchain4j's request has none; set it on the provider's model)");
        }
        ChatRequest.Builder builder = ChatRequest.builder().messages(toMessages(request.messages()));
        if (options.temperature() != null) {
            builder.temperature(options.temperature());
        }
        if (options.maxTokens() != null) {
            builder.maxOutputTokens(options.maxTokens());
        }
        if (options.stop() != null && !options.stop().isEmpty()) {
            builder.stopSequences(options.stop());
        }
        if (!request.tools().isEmpty()) {
            builder.toolSpecifications(request.tools().stream().map(LangChain4jLm::toSpecification).toList());
            builder.toolChoice(switch (request.toolChoice()) {
                case ToolChoice.Auto a -> dev.langchain4j.model.chat.request.ToolChoice.AUTO;
                case ToolChoice.None n -> dev.langchain4j.model.chat.request.ToolChoice.NONE;
                case ToolChoice.Required r -> dev.langchain4j.model.chat.request.ToolChoice.REQUIRED;
                case ToolChoice.Named named -> throw unsupported("a named tool choice ('" + named.name() + "')");
            });
        }
        switch (request.responseFormat()) {
            case ResponseFormat.Text t -> { }
            case ResponseFormat.JsonObject j -> builder.responseFormat(
                    dev.langchain4j.model.chat.request.ResponseFormat.JSON);
            case ResponseFormat.JsonSchema s -> builder.responseFormat(
                    dev.langchain4j.model.chat.request.ResponseFormat.builder().type(ResponseFormatType.JSON)
                            .jsonSchema(JsonSchema.builder().name(s.name())
                                    .rootElement(JsonRawSchema.from(BridgeJson.write(s.schema()))).build())
                            .build());
        }
        return builder.build();
    }

    private static List<ChatMessage> toMessages(List<Message> messages) {
        List<ChatMessage> out = new ArrayList<>(messages.size());
        for (Message message : messages) {
            out.add(switch (message) {
                case Message.SystemMessage s -> SystemMessage.from(textOnly(s, "system"));
                case Message.UserMessage u -> u.isTextOnly() ? UserMessage.from(u.text())
                        : UserMessage.from(toContents(u.content()));
                case Message.AssistantMessage a -> toAiMessage(a);
                case Message.ToolMessage t -> ToolExecutionResultMessage.from(t.callId(),
                        t.name() == null ? "" : t.name(), textOnly(t, "tool"));
            });
        }
        return out;
    }

    private static AiMessage toAiMessage(Message.AssistantMessage message) {
        String text = textOnly(message, "assistant");
        if (message.toolCalls().isEmpty()) {
            return AiMessage.from(text);
        }
        List<ToolExecutionRequest> calls = message.toolCalls().stream()
                .map(call -> ToolExecutionRequest.builder().id(call.id()).name(call.name())
                        .arguments(call.argumentsJson()).build())
                .toList();
        return text.isEmpty() ? AiMessage.from(calls) : AiMessage.from(text, calls);
    }

    private static List<Content> toContents(List<ContentPart> parts) {
        List<Content> out = new ArrayList<>(parts.size());
        for (ContentPart part : parts) {
            out.add(switch (part) {
                case ContentPart.Text t -> TextContent.from(t.text());
                case ContentPart.Image i -> i.inline()
                        ? ImageContent.from(Objects.requireNonNull(i.base64Data()),
                                Objects.requireNonNull(i.mediaType()))
                        : ImageContent.from(i.url());
                default -> throw unsupported("a " + part.getClass().getSimpleName().toLowerCase(Locale.ROOT)
                        + " part in a user message");
            });
        }
        return out;
    }

    private static String textOnly(Message message, String role) {
        if (!message.isTextOnly()) {
            throw unsupported("non-text parts in a " + role + " message");
        }
        return message.text();
    }

    private static ToolSpecification toSpecification(ToolSpec tool) {
        return ToolSpecification.builder().name(tool.name()).description(tool.description())
                .parameters(BridgeJson.objectSchema(tool.parameters())).build();
    }

    static LmResponse toLmResponse(ChatResponse response) {
        AiMessage message = response.aiMessage();
        List<ToolCall> calls = new ArrayList<>();
        if (message.hasToolExecutionRequests()) {
            for (ToolExecutionRequest call : message.toolExecutionRequests()) {
                calls.add(ToolCall.parse(call.id(), call.name(), call.arguments()));
            }
        }
        Choice choice = new Choice(message.text() == null ? "" : message.text(), calls, message.thinking(),
                finishReason(response.finishReason()));
        return new LmResponse(List.of(choice), usage(response.tokenUsage()), response.modelName(), false);
    }

    private static @Nullable String finishReason(@Nullable FinishReason reason) {
        if (reason == null) {
            return null;
        }
        return switch (reason) {
            case STOP -> "stop";
            case LENGTH -> "length";
            case TOOL_EXECUTION -> "tool_calls";
            case CONTENT_FILTER -> "content_filter";
            case OTHER -> "other";
        };
    }

    private static Usage usage(@Nullable TokenUsage usage) {
        if (usage == null) {
            return Usage.ZERO;
        }
        return new Usage(orZero(usage.inputTokenCount()), orZero(usage.outputTokenCount()));
    }

    private static long orZero(@Nullable Integer count) {
        return count == null ? 0 : Math.max(0, count);
    }

    private static LmException.BadRequest unsupported(String what) {
        return new LmException.BadRequest("The langchain4j bridge cannot send " + what
                + "; drop it from the request or call the provider through a dspy4j client", PROVIDER, 0, null);
    }

    @Override
    public String toString() {
        Object wrapped = model != null ? model : Objects.requireNonNull(streamingModel);
        return "LangChain4jLm[" + modelName + ", " + wrapped.getClass().getSimpleName() + "]";
    }
}
