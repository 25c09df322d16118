package dev.dspy4j.provider;

import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.LmStream;
import dev.dspy4j.provider.http.Chat;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link OpenAiLm} and {@link AnthropicLm} share: a {@link Chat} and the default options,
 * merged with each request's options before it goes out. Package-private on purpose: javadoc shows
 * these methods on each public subclass as if declared there.
 *
 * <p>Immutable and thread-safe.
 */
abstract class HttpChatLm implements Lm {

    final Chat chat;
    private final LmOptions options;
    private final LmCapabilities capabilities;

    /**
     * @param capabilities the builder's capabilities, or {@code null} for the model table's
     * @throws LmException.Configuration if the provider does not accept the options
     */
    HttpChatLm(Chat chat, LmOptions options, @Nullable LmCapabilities capabilities) {
        chat.check(options);
        this.chat = chat;
        this.options = options;
        this.capabilities = capabilities != null ? capabilities : chat.capabilities();
    }

    /**
     * Sends the request, its options overriding the {@link #options() options}; the wire format
     * is in the class documentation.
     *
     * @throws LmException on any failure (see the class documentation)
     */
    @Override
    public LmResponse call(LmRequest request) {
        return chat.call(request.withOptions(options.overriddenBy(request.options())));
    }

    /**
     * Starts a streaming call, its options overriding the {@link #options() options}. The stream
     * yields text and reasoning deltas, and its {@link LmStream#response()} the assembled choice with
     * the final usage; a stream that breaks off before the provider's end marker fails with
     * {@link LmException.Transport}. Details are in the class documentation.
     *
     * @throws LmException.Configuration if the options cannot be streamed (see the class
     *     documentation)
     * @throws LmException if the call cannot be started
     */
    @Override
    public LmStream stream(LmRequest request) {
        return chat.stream(request.withOptions(options.overriddenBy(request.options())));
    }

    /** The DSPy model name, e.g. {@code openai/gpt-4o-mini} or {@code anthropic/claude-sonnet-4-5}. */
    @Override
    public String model() {
        return chat.endpoint().model();
    }

    /** The options every request starts from. */
    public LmOptions options() {
        return options;
    }

    /**
     * As listed in the class documentation for the model, unless the builder's
     * {@link LmBuilder#capabilities(LmCapabilities) capabilities(...)} replaced them.
     */
    @Override
    public LmCapabilities capabilities() {
        return capabilities;
    }

    /** {@code model}, {@code model_type} and the default options by wire name; never credentials or URLs. */
    @Override
    public Map<String, Object> savedState() {
        return Lms.savedState(model(), options);
    }

    /**
     * Releases this client's HTTP connections and threads. Clients with the same connection
     * settings share one JDK HTTP client, which is shut down when the last of them is closed;
     * clients still open at JVM exit are shut down then. Calls after {@code close()} fail with
     * {@link LmException.Configuration}. Idempotent.
     */
    @Override
    public void close() {
        chat.close();
    }

    /** The class name and the model, e.g. {@code OpenAiLm[openai/gpt-4o-mini]}; never the key or URL. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + model() + "]";
    }

    /**
     * The settings of an HTTP client plus {@link LmBuilder#options(LmOptions)}.
     *
     * @param <B> the concrete builder
     */
    abstract static class LmBuilder<B extends LmBuilder<B>> extends HttpClientBuilder<B> {

        LmOptions options = LmOptions.NONE;
        @Nullable LmCapabilities capabilities;

        LmBuilder() {
        }

        /**
         * What the LM supports, replacing the model-name table in the class documentation: e.g.
         * {@code LmCapabilities.withReasoning(true)} for a reasoning model the table does not know
         * (a {@code Reasoning} output is then filled from the model's native reasoning), or
         * {@code false} to keep it in the prompt. Adapters decide what to send by these.
         */
        public B capabilities(LmCapabilities value) {
            this.capabilities = Objects.requireNonNull(value, "capabilities");
            return self();
        }

        /** Options every request starts from (a request's own options override them). */
        public B options(LmOptions value) {
            this.options = Objects.requireNonNull(value, "options");
            return self();
        }
    }
}
