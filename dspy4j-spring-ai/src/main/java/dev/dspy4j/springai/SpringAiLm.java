package dev.dspy4j.springai;

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
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.util.MimeTypeUtils;

/**
 * A Spring AI {@link ChatModel} used as a dspy4j {@link Lm}: keep the Spring AI model your
 * application configured (provider, observations, HTTP client) and run dspy4j signatures, modules
 * and optimizers on it.
 *
 * <p>Each {@link LmRequest} becomes one {@link Prompt}: messages keep their roles and order and
 * their text byte for byte (so the adapter's prompt reaches the provider unchanged), images become
 * {@link Media}, assistant tool calls and tool results map to Spring AI's
 * {@link AssistantMessage.ToolCall} and {@link ToolResponseMessage}, and tools, temperature, max
 * tokens and stop sequences go into options derived from the model's default options
 * ({@link ChatOptions#mutate()}, as Spring AI's providers expect their own options type; tools
 * need a {@link ToolCallingChatOptions} builder). The tools are sent as
 * definitions only: Spring AI 2's chat models return tool calls to the caller (tool execution
 * lives in {@code ChatClient}'s advisors), and dspy4j runs its tools itself. The
 * {@link ChatResponse} comes back with one {@link Choice} per generation (text, tool calls,
 * finish reason) and its usage as a dspy4j {@link Usage}.
 *
 * <p>What does not map: Spring AI's portable options carry no JSON mode, so
 * {@link ResponseFormat#JSON_OBJECT} is not sent (dspy4j's JSON adapter still asks for JSON in
 * the prompt and validates the reply), and {@link #capabilities()} reports no response-schema
 * support; a {@link ResponseFormat.JsonSchema}, a tool choice other than auto, {@code n > 1}, a
 * seed, and audio, file or document parts fail with {@link LmException.BadRequest} rather than
 * being dropped. Set provider-specific options on the model's default options instead.
 *
 * <p>Failures become dspy4j's {@link LmException} kinds by the HTTP status the provider's
 * exception carries (429 rate limited, 401/403 authentication, 5xx server error...), timeouts and
 * I/O errors by type, so dspy4j's {@code Retry} and cache interceptors work over the bridge. Turn
 * the provider's own retries off when dspy4j's {@code Retry} is in the chain, or the two multiply.
 *
 * <p>Streaming: {@link #stream} subscribes to the model's {@code stream(Prompt)} with bounded
 * demand and yields each response's text as it arrives, bounded by the
 * {@linkplain #withStreamTimeout(Duration) stream timeout}; closing the stream cancels the
 * subscription.
 *
 * <p>Thread-safe if the wrapped model is (Spring AI's provider models are).
 */
public final class SpringAiLm implements Lm {

    private static final String PROVIDER = "spring-ai";

    /** The default {@link #withStreamTimeout(Duration) stream timeout}, as dspy4j's own clients. */
    public static final Duration DEFAULT_STREAM_TIMEOUT = Duration.ofMinutes(10);

    private final ChatModel model;
    private final String modelName;
    private final Duration streamTimeout;

    private SpringAiLm(ChatModel model, String modelName, Duration streamTimeout) {
        this.model = model;
        this.modelName = modelName;
        this.streamTimeout = streamTimeout;
    }

    /**
     * Wraps a Spring AI chat model.
     *
     * @param model the Spring AI model, configured as usual (its default options apply)
     * @param modelName the name dspy4j reports (history, cache keys, saved state), for example
     *     {@code "openai/gpt-4o-mini"}
     * @return the model as a dspy4j LM
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code modelName} is blank
     */
    public static SpringAiLm of(ChatModel model, String modelName) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(modelName, "modelName");
        if (modelName.isBlank()) {
            throw new IllegalArgumentException("A SpringAiLm needs a model name for history and cache keys;"
                    + " got a blank one");
        }
        return new SpringAiLm(model, modelName, DEFAULT_STREAM_TIMEOUT);
    }

    /**
     * This LM with another whole-stream deadline: from {@link #stream} to the stream's end. When it
     * passes, {@link LmStream#next()} fails with a retryable {@link LmException.Timeout} and the
     * subscription is cancelled. Default {@link #DEFAULT_STREAM_TIMEOUT}. Non-streaming calls are
     * bounded by the Spring AI model's own timeouts.
     *
     * @throws IllegalArgumentException if not positive
     */
    public SpringAiLm withStreamTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("withStreamTimeout needs a positive duration; got " + timeout);
        }
        return new SpringAiLm(model, modelName, timeout);
    }

    /** The whole-stream deadline (see {@link #withStreamTimeout(Duration)}). */
    public Duration streamTimeout() {
        return streamTimeout;
    }

    /** The wrapped Spring AI model. */
    public ChatModel chatModel() {
        return model;
    }

    @Override
    public String model() {
        return modelName;
    }

    /** Function calling (tool definitions and returned tool calls); no response schema. */
    @Override
    public LmCapabilities capabilities() {
        return new LmCapabilities(true, false, false, Set.of("temperature", "max_tokens", "stop"));
    }

    /**
     * Sends the request through the Spring AI model.
     *
     * @throws LmException.BadRequest if the request uses something that does not map (see the
     *     class documentation) or the provider rejected it
     * @throws LmException the mapped kind of any provider failure
     */
    @Override
    public LmResponse call(LmRequest request) {
        Prompt prompt = toPrompt(request);
        ChatResponse response;
        try {
            response = model.call(prompt);
        } catch (RuntimeException e) {
            throw SpringAiErrors.toLmException(e);
        }
        return toLmResponse(response);
    }

    /**
     * Streams the request through the Spring AI model's {@code stream(Prompt)}: the prompt is the
     * one {@link #call} sends, each streamed response's text becomes a chunk as it arrives, and
     * {@link LmStream#response()} holds the text of each generation, its tool calls and finish
     * reason, and the last usage the provider reported (OpenAI reports usage in a stream only when
     * the model's options ask for it, {@code streamUsage(true)}).
     *
     * <p>At most 32 responses are requested ahead of the reader. Closing
     * the stream, interrupting its reader, or the {@linkplain #withStreamTimeout(Duration) stream
     * timeout} cancels the subscription.
     *
     * @throws LmException.BadRequest if the request uses something that does not map (as for
     *     {@link #call})
     * @throws LmException the mapped kind of a failure to start the stream; failures while
     *     streaming surface from {@link LmStream#next()}
     */
    @Override
    public LmStream stream(LmRequest request) {
        Prompt prompt = toPrompt(request);
        FluxStream stream = new FluxStream(modelName, streamTimeout);
        try {
            model.stream(prompt).subscribe(stream);
        } catch (RuntimeException e) {
            stream.close();
            throw SpringAiErrors.toLmException(e);
        }
        return stream;
    }

    private Prompt toPrompt(LmRequest request) {
        LmOptions options = request.options();
        if (options.n() != null && options.n() > 1) {
            throw unsupported("n=" + options.n() + " (Spring AI's portable options have no n)");
        }
        if (options.seed() != null) {
            throw unsupported("a seed (Spring AI's portable options have none; set it on the model's options)");
        }
        if (request.responseFormat() instanceof ResponseFormat.JsonSchema schema) {
            throw unsupported("a JSON-schema response format ('" + schema.name() + "')");
        }
        if (!request.tools().isEmpty() && !(request.toolChoice() instanceof ToolChoice.Auto)) {
            throw unsupported("a tool choice other than auto (" + request.toolChoice() + ")");
        }
        // providers cast the prompt's options to their own type: derive them from the model's defaults
        ChatOptions defaults = model.getDefaultOptions();
        ChatOptions.Builder<?> builder = defaults == null ? ToolCallingChatOptions.builder() : defaults.mutate();
        if (options.temperature() != null) {
            builder.temperature(options.temperature());
        }
        if (options.maxTokens() != null) {
            builder.maxTokens(options.maxTokens());
        }
        if (options.stop() != null && !options.stop().isEmpty()) {
            builder.stopSequences(options.stop());
        }
        if (!request.tools().isEmpty()) {
            if (!(builder instanceof ToolCallingChatOptions.Builder<?> tools)) {
                throw unsupported("tools (" + model.getClass().getSimpleName() + "'s options take no tool callbacks)");
            }
            tools.toolCallbacks(request.tools().stream().map(SpringAiLm::definitionOnly).toList());
        }
        return new Prompt(toMessages(request.messages()), builder.build());
    }

    private static List<org.springframework.ai.chat.messages.Message> toMessages(List<Message> messages) {
        List<org.springframework.ai.chat.messages.Message> out = new ArrayList<>(messages.size());
        for (Message message : messages) {
            out.add(switch (message) {
                case Message.SystemMessage s -> new SystemMessage(textOnly(s, "system"));
                case Message.UserMessage u -> u.isTextOnly() ? new UserMessage(u.text()) : toUserMessage(u);
                case Message.AssistantMessage a -> AssistantMessage.builder().content(textOnly(a, "assistant"))
                        .toolCalls(a.toolCalls().stream().map(call -> new AssistantMessage.ToolCall(call.id(),
                                "function", call.name(), call.argumentsJson())).toList())
                        .build();
                case Message.ToolMessage t -> ToolResponseMessage.builder().responses(List.of(
                        new ToolResponseMessage.ToolResponse(t.callId(), t.name() == null ? "" : t.name(),
                                textOnly(t, "tool")))).build();
            });
        }
        return out;
    }

    private static UserMessage toUserMessage(Message.UserMessage message) {
        StringBuilder text = new StringBuilder();
        List<Media> media = new ArrayList<>();
        for (ContentPart part : message.content()) {
            switch (part) {
                case ContentPart.Text t -> text.append(t.text());
                case ContentPart.Image i -> media.add(i.inline()
                        ? Media.builder().mimeType(MimeTypeUtils.parseMimeType(Objects.requireNonNull(i.mediaType())))
                                .data(Base64.getDecoder().decode(Objects.requireNonNull(i.base64Data()))).build()
                        : Media.builder().mimeType(MimeTypeUtils.IMAGE_PNG).data(URI.create(i.url())).build());
                default -> throw unsupported("a " + part.getClass().getSimpleName().toLowerCase(Locale.ROOT)
                        + " part in a user message");
            }
        }
        return UserMessage.builder().text(text.toString()).media(media).build();
    }

    private static String textOnly(Message message, String role) {
        if (!message.isTextOnly()) {
            throw unsupported("non-text parts in a " + role + " message");
        }
        return message.text();
    }

    /** A tool the model may call but Spring AI must not run: dspy4j runs its own tools. */
    private static ToolCallback definitionOnly(ToolSpec tool) {
        ToolDefinition definition = ToolDefinition.builder().name(tool.name()).description(tool.description())
                .inputSchema(BridgeJson.write(tool.parameters())).build();
        return new ToolCallback() {
            @Override
            public ToolDefinition getToolDefinition() {
                return definition;
            }

            @Override
            public String call(String toolInput) {
                throw new UnsupportedOperationException("Tool '" + tool.name() + "' is run by dspy4j, not by"
                        + " Spring AI; the bridge only sends its definition");
            }
        };
    }

    static LmResponse toLmResponse(ChatResponse response) {
        List<Choice> choices = new ArrayList<>();
        for (Generation generation : response.getResults()) {
            AssistantMessage message = generation.getOutput();
            List<ToolCall> calls = new ArrayList<>();
            for (AssistantMessage.ToolCall call : message.getToolCalls()) {
                calls.add(ToolCall.parse(call.id(), call.name(), call.arguments()));
            }
            String finish = generation.getMetadata() == null ? null : generation.getMetadata().getFinishReason();
            choices.add(new Choice(message.getText() == null ? "" : message.getText(), calls, null,
                    finish == null ? null : finish.toLowerCase(Locale.ROOT)));
        }
        Usage usage = Usage.ZERO;
        String responseModel = null;
        if (response.getMetadata() != null) {
            responseModel = response.getMetadata().getModel();
            var reported = response.getMetadata().getUsage();
            if (reported != null) {
                usage = new Usage(orZero(reported.getPromptTokens()), orZero(reported.getCompletionTokens()));
            }
        }
        return new LmResponse(choices, usage, responseModel == null || responseModel.isEmpty() ? null : responseModel,
                false);
    }

    private static long orZero(@Nullable Integer count) {
        return count == null ? 0 : Math.max(0, count);
    }

    private static LmException.BadRequest unsupported(String what) {
        return new LmException.BadRequest("The Spring AI bridge cannot send " + what
                + "; drop it from the request or call the provider through a dspy4j client", PROVIDER, 0, null);
    }

    @Override
    public String toString() {
        return "SpringAiLm[" + modelName + ", " + model.getClass().getSimpleName() + "]";
    }
}
