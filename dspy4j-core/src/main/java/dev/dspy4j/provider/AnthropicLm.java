package dev.dspy4j.provider;

import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.ToolCall;
import dev.dspy4j.provider.http.AnthropicChat;
import org.jspecify.annotations.Nullable;

/**
 * An LM behind Anthropic's native Messages API ({@code POST {baseUrl}/v1/messages}, headers
 * {@code x-api-key} and {@code anthropic-version: 2023-06-01}). Built on {@code java.net.http}.
 *
 * <pre>{@code
 * Lm claude = AnthropicLm.builder().model("anthropic/claude-sonnet-4-5").build(); // key from ANTHROPIC_API_KEY
 * }</pre>
 *
 * <h2>Request</h2>
 * <ul>
 * <li>Model {@code anthropic/<model>} (or a bare {@code claude-...}); key from
 *     {@code ANTHROPIC_API_KEY}; base URL {@code https://api.anthropic.com}, overridden by
 *     {@code ANTHROPIC_BASE_URL} or the {@link Builder}'s {@code baseUrl(URI)}.</li>
 * <li>System messages are joined (blank line between) into {@code system}. Images become
 *     {@code image} blocks ({@code url} or {@code base64} source), files {@code document} blocks;
 *     audio is refused with {@link LmException.Configuration}. Assistant tool calls become
 *     {@code tool_use} blocks, and tool results {@code tool_result} blocks, consecutive ones in
 *     one user turn as the API requires.</li>
 * <li>{@code max_tokens} is required by the API: when unset it is {@value AnthropicChat#DEFAULT_MAX_TOKENS}
 *     (plus the thinking budget when {@code reasoning_effort} is set).</li>
 * <li>{@code stop} goes out as {@code stop_sequences}; {@code temperature} as is; {@code seed} is
 *     not sent (the API has none); a {@code response_format} is rejected with
 *     {@link LmException.Configuration} (the API has none, and adapters only send it when
 *     {@link #capabilities()} lists it, which it does not).</li>
 * <li>The request's tools become Anthropic tools ({@code name}, {@code description},
 *     {@code input_schema}); its tool choice {@code AUTO}/{@code REQUIRED}/{@code NONE}/named becomes
 *     {@code auto}/{@code any}/{@code none}/{@code tool}. {@code reasoning_effort}
 *     {@code low}/{@code medium}/{@code high} becomes {@code thinking} with a budget of
 *     1024/2048/4096 tokens (litellm's mapping) unless {@code thinking} is given. Other extras are
 *     sent verbatim.</li>
 * <li><b>{@code n > 1}</b>: the API returns one completion per call, so {@link #call(LmRequest)}
 *     makes {@code n} sequential calls with the same body and returns their choices in order, with
 *     the usage summed (n times the cost and latency; a failure of any call fails the whole call).
 *     {@link #stream(LmRequest)} rejects {@code n > 1}.</li>
 * </ul>
 *
 * <h2>Response</h2>
 * {@code text} blocks are concatenated into the choice's text, and their {@code citations}
 * ({@code char_location}, {@code page_location}, {@code content_block_location}, also streamed as
 * {@code citations_delta}) become the choice's {@link dev.dspy4j.lm.Citation}s, in order;
 * {@code tool_use} blocks become
 * {@link ToolCall}s (arguments as JSON), {@code thinking} blocks the reasoning content. The stop
 * reason is reported in OpenAI's words ({@code end_turn} is {@code stop}, {@code max_tokens} is
 * {@code length}, {@code tool_use} is {@code tool_calls}). Prompt tokens are
 * {@code input_tokens} plus cache reads and writes.
 *
 * <h2>Capabilities</h2>
 * Function calling yes; response schema no; native citations yes (a signature's
 * {@code Citations} output leaves the prompt and is filled from the reply's citations, as DSPy does
 * for every {@code anthropic/} model); reasoning for {@code claude-3-7*}, {@code claude-sonnet-4*},
 * {@code claude-opus-4*}, {@code claude-haiku-4*} (a {@code Reasoning} output leaves the prompt,
 * {@code reasoning_effort} defaults to {@code low}, and the {@code thinking} blocks fill it);
 * supported params temperature, max_tokens, stop, top_p, top_k, tools, tool_choice, thinking,
 * reasoning_effort, metadata. The builder's {@code capabilities(LmCapabilities)} replaces these.
 *
 * <p>{@code reasoning_effort} follows litellm's Anthropic mapping ({@code DEFAULT_REASONING_EFFORT_*
 * _THINKING_BUDGET} in litellm's constants): {@code low} (and {@code minimal}, which Anthropic's
 * 1,024-token minimum budget makes the same) 1,024 tokens, {@code medium} 2,048, {@code high}
 * 4,096; {@code none} or {@code disable} sends no {@code thinking}, and so does Python's
 * {@code None} ({@code LmOptions.withExtraNone}).
 *
 * <p>Errors, timeouts, logging and thread-safety are as for {@link OpenAiLm}; in addition
 * Anthropic's 529 "overloaded" is a {@link LmException.ServerError} and "prompt is too long" a
 * {@link LmException.ContextWindowExceeded}. Streams take their usage from {@code message_start}
 * and {@code message_delta} and end at {@code message_stop}; one that breaks off earlier fails
 * with {@link LmException.Transport}.
 */
public final class AnthropicLm extends HttpChatLm implements Lm {

    private AnthropicLm(AnthropicChat chat, LmOptions options, @Nullable LmCapabilities capabilities) {
        super(chat, options, capabilities);
    }

    /** A {@link Builder}; its {@code model(String)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds an {@link AnthropicLm}; the same settings as {@link OpenAiLm.Builder}. The model is
     * {@code anthropic/<model>} (or a bare {@code claude-...}); the key is by default from
     * {@code ANTHROPIC_API_KEY}; the base URL is the API root without {@code /v1}, by default
     * {@code ANTHROPIC_BASE_URL} or {@code https://api.anthropic.com}. Not thread-safe.
     */
    public static final class Builder extends LmBuilder<Builder> {

        private Builder() {
        }

        /**
         * Builds the LM.
         *
         * @throws IllegalStateException if no model was set
         * @throws LmException.Configuration if the model is not an Anthropic one, no key is set
         *     (naming {@code ANTHROPIC_API_KEY}), or the defaults cannot be expressed in the API
         */
        public AnthropicLm build() {
            return new AnthropicLm(new AnthropicChat(settings.resolveAnthropic()), options, capabilities);
        }
    }
}
