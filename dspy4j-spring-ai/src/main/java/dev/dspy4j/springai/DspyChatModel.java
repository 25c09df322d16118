package dev.dspy4j.springai;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * A dspy4j {@link Lm} as a Spring AI {@link ChatModel}: Spring AI code ({@code ChatClient},
 * advisors, your own calls) runs on a dspy4j LM, with its interceptors (retry, cache, usage, rate
 * limits) in the chain, and streams from it.
 *
 * <p>Each {@link Prompt} becomes an {@link LmRequest} (the reverse of {@link SpringAiLm}'s
 * mapping): system, user, assistant and tool-response messages with text and media (images),
 * assistant tool calls, the tool callbacks' definitions as tools, and the options' temperature,
 * max tokens and stop sequences. Tools come back as tool calls on the assistant message, as from
 * Spring AI's own providers; {@code ChatClient} runs them. A prompt that does not map fails with
 * {@link IllegalArgumentException}; LM failures propagate as dspy4j's {@link LmException} kinds.
 *
 * <p>{@link #stream(Prompt)} reads the LM's {@link LmStream} on demand: one
 * {@link ChatResponse} per chunk, each holding the new text, then one with the tool calls, finish
 * reason, usage and model. The stream is read on Reactor's bounded-elastic scheduler and pulled
 * one chunk per requested element, so a slow subscriber holds back the LM rather than a buffer;
 * cancelling the subscription closes the LM stream and its connection.
 *
 * <p>Thread-safe if the LM is (dspy4j's LMs are).
 */
public final class DspyChatModel implements ChatModel {

    private final Lm lm;

    private DspyChatModel(Lm lm) {
        this.lm = lm;
    }

    /**
     * A Spring AI view of {@code lm}.
     *
     * @throws NullPointerException if {@code lm} is null
     */
    public static DspyChatModel of(Lm lm) {
        return new DspyChatModel(Objects.requireNonNull(lm, "lm"));
    }

    /** The dspy4j LM this model calls. */
    public Lm lm() {
        return lm;
    }

    /** Empty tool-calling options: the LM's own options apply unless a prompt overrides them. */
    @Override
    public ChatOptions getDefaultOptions() {
        return ToolCallingChatOptions.builder().build();
    }

    /**
     * Calls the LM with the prompt.
     *
     * @throws IllegalArgumentException if the prompt holds something that does not map
     * @throws LmException the LM's failure
     */
    @Override
    public ChatResponse call(Prompt prompt) {
        return toChatResponse(lm.call(toLmRequest(prompt)));
    }

    /**
     * Streams the prompt from the LM (see the class documentation). The request is converted and
     * the stream opened when the Flux is subscribed to; a prompt that does not map and the LM's
     * failures arrive as the Flux's error.
     */
    @Override
    public Flux<ChatResponse> stream(Prompt prompt) {
        return Flux.using(() -> lm.stream(toLmRequest(prompt)),
                stream -> Flux.<ChatResponse>generate(sink -> {
                    for (StreamChunk chunk = stream.next(); chunk != null; chunk = stream.next()) {
                        if (!chunk.text().isEmpty()) {
                            sink.next(delta(chunk.text()));
                            return;
                        }
                    }
                    sink.next(toChatResponse(stream.response(), true));
                    sink.complete();
                }), LmStream::close).subscribeOn(Schedulers.boundedElastic());
    }

    static LmRequest toLmRequest(Prompt prompt) {
        List<Message> messages = new ArrayList<>();
        for (org.springframework.ai.chat.messages.Message message : prompt.getInstructions()) {
            switch (message) {
                case SystemMessage s -> messages.add(Message.system(text(s.getText())));
                case UserMessage u -> messages.add(u.getMedia().isEmpty() ? Message.user(text(u.getText()))
                        : Message.user(toParts(u)));
                case AssistantMessage a -> messages.add(Message.assistant(text(a.getText()), a.getToolCalls().stream()
                        .map(call -> ToolCall.parse(call.id(), call.name(), call.arguments())).toList()));
                case ToolResponseMessage t -> t.getResponses().forEach(response -> messages.add(
                        Message.toolResult(response.id(), response.name(), text(response.responseData()))));
                default -> throw new IllegalArgumentException("A dspy4j LM cannot take a Spring AI "
                        + message.getMessageType() + " message; send system, user, assistant and tool messages");
            }
        }
        LmOptions options = LmOptions.NONE;
        List<ToolSpec> tools = new ArrayList<>();
        ChatOptions chatOptions = prompt.getOptions();
        if (chatOptions != null) {
            options = options.withTemperature(chatOptions.getTemperature()).withMaxTokens(chatOptions.getMaxTokens());
            if (chatOptions.getStopSequences() != null && !chatOptions.getStopSequences().isEmpty()) {
                options = options.withStop(chatOptions.getStopSequences());
            }
            if (chatOptions instanceof ToolCallingChatOptions toolOptions && toolOptions.getToolCallbacks() != null) {
                for (ToolCallback callback : toolOptions.getToolCallbacks()) {
                    ToolDefinition definition = callback.getToolDefinition();
                    tools.add(new ToolSpec(definition.name(), Objects.requireNonNullElse(definition.description(), ""),
                            BridgeJson.readObject(definition.inputSchema())));
                }
            }
        }
        return new LmRequest(messages, tools, ToolChoice.AUTO, ResponseFormat.TEXT, options);
    }

    private static String text(@Nullable String text) {
        return text == null ? "" : text;
    }

    private static List<ContentPart> toParts(UserMessage message) {
        List<ContentPart> parts = new ArrayList<>();
        if (message.getText() != null && !message.getText().isEmpty()) {
            parts.add(ContentPart.text(message.getText()));
        }
        for (Media media : message.getMedia()) {
            String type = media.getMimeType().toString();
            if (!type.toLowerCase(Locale.ROOT).startsWith("image/")) {
                throw new IllegalArgumentException("A dspy4j LM takes images from Spring AI, not " + type + " media");
            }
            parts.add(media.getData() instanceof byte[] bytes ? ContentPart.Image.ofBytes(bytes, type)
                    : new ContentPart.Image(String.valueOf(media.getData())));
        }
        return parts;
    }

    private static ChatResponse delta(String text) {
        return new ChatResponse(List.of(new Generation(new AssistantMessage(text))));
    }

    static ChatResponse toChatResponse(LmResponse response) {
        return toChatResponse(response, false);
    }

    /** The response; as the last of a stream its text was already sent, so only the rest is. */
    private static ChatResponse toChatResponse(LmResponse response, boolean last) {
        List<Generation> generations = new ArrayList<>();
        for (Choice choice : response.choices()) {
            AssistantMessage message = AssistantMessage.builder().content(last ? "" : choice.text())
                    .toolCalls(choice.toolCalls().stream().map(call -> new AssistantMessage.ToolCall(call.id(),
                            "function", call.name(), call.argumentsJson())).toList())
                    .build();
            ChatGenerationMetadata.Builder metadata = ChatGenerationMetadata.builder();
            if (choice.finishReason() != null) {
                metadata.finishReason(choice.finishReason().toUpperCase(Locale.ROOT));
            }
            generations.add(new Generation(message, metadata.build()));
        }
        ChatResponseMetadata.Builder metadata = ChatResponseMetadata.builder().usage(new DefaultUsage(
                (int) response.usage().promptTokens(), (int) response.usage().completionTokens()));
        if (response.model() != null) {
            metadata.model(response.model());
        }
        return new ChatResponse(generations, metadata.build());
    }

    @Override
    public String toString() {
        return "DspyChatModel[" + lm.model() + "]";
    }
}
