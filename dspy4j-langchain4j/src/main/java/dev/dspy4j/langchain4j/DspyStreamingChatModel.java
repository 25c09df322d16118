package dev.dspy4j.langchain4j;

import dev.dspy4j.lm.Choice;
import dev.dspy4j.lm.ContentPart;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.LmStream;
import dev.dspy4j.lm.Message;
import dev.dspy4j.lm.ResponseFormat;
import dev.dspy4j.lm.StreamChunk;
import dev.dspy4j.lm.ToolCall;
import dev.dspy4j.lm.ToolChoice;
import dev.dspy4j.lm.ToolSpec;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.image.Image;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.internal.JsonSchemaElementJsonUtils;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A dspy4j {@link Lm} as a langchain4j {@link StreamingChatModel}: langchain4j code
 * ({@code AiServices} with a {@code TokenStream}, your own handlers) streams from a dspy4j LM, with
 * its interceptors (retry, cache, usage, rate limits) in the chain.
 *
 * <p>Each {@link ChatRequest} becomes an {@link LmRequest} (the reverse of {@link LangChain4jLm}'s
 * mapping): system, user, AI and tool-result messages with text and images, tool specifications
 * with their JSON schema, tool choice, JSON response formats, temperature, max output tokens and
 * stop sequences. Text deltas arrive at {@link StreamingChatResponseHandler#onPartialResponse}
 * and native reasoning at {@code onPartialThinking}, each with a {@link StreamingHandle} whose
 * {@code cancel()} closes the dspy4j stream (and so its connection); the complete response,
 * with tool calls, finish reason and token usage, arrives at {@code onCompleteResponse}. Failures
 * arrive at {@code onError} as dspy4j's {@link LmException} kinds; a request that does not map
 * (audio or file parts, other content types) fails there with an {@link IllegalArgumentException}.
 *
 * <p>Each call runs on its own virtual thread; the handler is called from it. Thread-safe if the
 * LM is (dspy4j's LMs are).
 */
public final class DspyStreamingChatModel implements StreamingChatModel {

    private final Lm lm;

    private DspyStreamingChatModel(Lm lm) {
        this.lm = lm;
    }

    /**
     * A streaming langchain4j view of {@code lm}.
     *
     * @throws NullPointerException if {@code lm} is null
     */
    public static DspyStreamingChatModel of(Lm lm) {
        return new DspyStreamingChatModel(Objects.requireNonNull(lm, "lm"));
    }

    /** The dspy4j LM this model streams from. */
    public Lm lm() {
        return lm;
    }

    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        Objects.requireNonNull(handler, "handler");
        LmRequest lmRequest;
        try {
            lmRequest = toLmRequest(request);
        } catch (RuntimeException e) {
            handler.onError(e);
            return;
        }
        Cancel cancel = new Cancel();
        cancel.worker = Thread.ofVirtual().name("dspy4j-langchain4j-view").start(() -> run(lmRequest, handler, cancel));
    }

    private void run(LmRequest request, StreamingChatResponseHandler handler, Cancel cancel) {
        try (LmStream stream = lm.stream(request)) {
            cancel.stream = stream;
            if (cancel.cancelled) {
                return;
            }
            for (StreamChunk chunk = stream.next(); chunk != null; chunk = stream.next()) {
                if (cancel.cancelled) {
                    return;
                }
                if (!chunk.reasoning().isEmpty()) {
                    handler.onPartialThinking(new PartialThinking(chunk.reasoning()), new PartialThinkingContext(cancel));
                }
                if (!chunk.text().isEmpty()) {
                    handler.onPartialResponse(new PartialResponse(chunk.text()), new PartialResponseContext(cancel));
                }
            }
            if (!cancel.cancelled) {
                handler.onCompleteResponse(toChatResponse(stream.response()));
            }
        } catch (RuntimeException e) {
            if (!cancel.cancelled) {
                handler.onError(e);
            }
        }
    }

    /** Cancels a call: closes its stream, or stops it before it starts. */
    private static final class Cancel implements StreamingHandle {
        volatile boolean cancelled;
        volatile @Nullable LmStream stream;
        volatile @Nullable Thread worker;

        @Override
        public void cancel() {
            cancelled = true;
            LmStream s = stream;
            if (s != null) {
                s.close();
            } else if (worker != null) {
                Objects.requireNonNull(worker).interrupt(); // still starting the call (an LM that does not stream)
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }

    static LmRequest toLmRequest(ChatRequest request) {
        List<Message> messages = new ArrayList<>();
        for (ChatMessage message : request.messages()) {
            messages.add(switch (message) {
                case SystemMessage s -> Message.system(s.text());
                case UserMessage u -> u.hasSingleText() ? Message.user(u.singleText()) : Message.user(toParts(u));
                case AiMessage a -> Message.assistant(a.text() == null ? "" : a.text(),
                        a.hasToolExecutionRequests() ? a.toolExecutionRequests().stream()
                                .map(call -> ToolCall.parse(call.id(), call.name(), call.arguments())).toList()
                                : List.of());
                case ToolExecutionResultMessage t -> Message.toolResult(t.id(), t.toolName(), t.text());
                default -> throw new IllegalArgumentException("A dspy4j LM cannot take a langchain4j "
                        + message.type() + " message; send system, user, AI and tool-result messages");
            });
        }
        ChatRequestParameters parameters = request.parameters();
        LmOptions options = LmOptions.NONE.withTemperature(parameters.temperature())
                .withMaxTokens(parameters.maxOutputTokens());
        if (parameters.stopSequences() != null && !parameters.stopSequences().isEmpty()) {
            options = options.withStop(parameters.stopSequences());
        }
        List<ToolSpec> tools = new ArrayList<>();
        if (parameters.toolSpecifications() != null) {
            for (ToolSpecification tool : parameters.toolSpecifications()) {
                Map<String, Object> schema = tool.parameters() == null ? Map.of("type", "object", "properties", Map.of())
                        : JsonSchemaElementJsonUtils.toMap(tool.parameters());
                tools.add(new ToolSpec(tool.name(), tool.description() == null ? "" : tool.description(), schema));
            }
        }
        ToolChoice choice = parameters.toolChoice() == null ? ToolChoice.AUTO : switch (parameters.toolChoice()) {
            case AUTO -> ToolChoice.AUTO;
            case REQUIRED -> ToolChoice.REQUIRED;
            case NONE -> ToolChoice.NONE;
        };
        ResponseFormat format = ResponseFormat.TEXT;
        var requested = parameters.responseFormat();
        if (requested != null && requested.type() == ResponseFormatType.JSON) {
            format = requested.jsonSchema() == null ? ResponseFormat.JSON_OBJECT
                    : new ResponseFormat.JsonSchema(requested.jsonSchema().name(),
                            JsonSchemaElementJsonUtils.toMap(requested.jsonSchema().rootElement()), true);
        }
        return new LmRequest(messages, tools, choice, format, options);
    }

    private static List<ContentPart> toParts(UserMessage message) {
        List<ContentPart> parts = new ArrayList<>();
        for (Content content : message.contents()) {
            parts.add(switch (content) {
                case TextContent t -> ContentPart.text(t.text());
                case ImageContent i -> toImage(i.image());
                default -> throw new IllegalArgumentException("A dspy4j LM cannot take " + content.type()
                        .toString().toLowerCase(Locale.ROOT) + " content from langchain4j; send text and images");
            });
        }
        return parts;
    }

    private static ContentPart toImage(Image image) {
        if (image.base64Data() != null) {
            return new ContentPart.Image("data:" + Objects.requireNonNullElse(image.mimeType(), "image/png")
                    + ";base64," + image.base64Data());
        }
        return new ContentPart.Image(String.valueOf(image.url()));
    }

    static ChatResponse toChatResponse(LmResponse response) {
        Choice choice = response.choices().getFirst();
        List<ToolExecutionRequest> calls = choice.toolCalls().stream().map(call -> ToolExecutionRequest.builder()
                .id(call.id()).name(call.name()).arguments(call.argumentsJson()).build()).toList();
        AiMessage.Builder message = AiMessage.builder().text(choice.text().isEmpty() && !calls.isEmpty()
                ? null : choice.text()).thinking(choice.reasoningContent());
        if (!calls.isEmpty()) {
            message.toolExecutionRequests(calls);
        }
        ChatResponse.Builder builder = ChatResponse.builder().aiMessage(message.build())
                .tokenUsage(new TokenUsage((int) response.usage().promptTokens(), (int) response.usage().completionTokens()));
        FinishReason finish = finishReason(choice.finishReason());
        if (finish != null) {
            builder.finishReason(finish);
        }
        if (response.model() != null) {
            builder.modelName(response.model());
        }
        return builder.build();
    }

    private static @Nullable FinishReason finishReason(@Nullable String reason) {
        if (reason == null) {
            return null;
        }
        return switch (reason) {
            case "stop", "end_turn", "stop_sequence" -> FinishReason.STOP;
            case "length", "max_tokens" -> FinishReason.LENGTH;
            case "tool_calls", "tool_use" -> FinishReason.TOOL_EXECUTION;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.OTHER;
        };
    }

    @Override
    public String toString() {
        return "DspyStreamingChatModel[" + lm.model() + "]";
    }
}
