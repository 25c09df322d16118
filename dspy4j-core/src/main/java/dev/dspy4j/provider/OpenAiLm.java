package dev.dspy4j.provider;

import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmStream;
import dev.dspy4j.provider.http.OpenAiChat;
import dev.dspy4j.provider.http.OpenAiRequests;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An LM behind an OpenAI-compatible Chat Completions endpoint ({@code POST {baseUrl}/chat/completions}):
 * OpenAI, Azure OpenAI, Ollama, vLLM, llama.cpp server, LM Studio, OpenRouter, Together, Groq,
 * Gemini's OpenAI endpoint and others. Built on {@code java.net.http}; no SDK.
 *
 * <pre>{@code
 * Lm lm = OpenAiLm.builder().model("openai/gpt-4o-mini").build();          // key from OPENAI_API_KEY
 * Lm local = OpenAiLm.builder().model("ollama_chat/llama3.2").build();    // http://localhost:11434/v1
 * }</pre>
 *
 * <h2>Model names</h2>
 * As in DSPy: {@code <provider>/<model>}; the part after the prefix is sent as {@code model}.
 * <table>
 * <caption>Providers</caption>
 * <tr><th>Prefix</th><th>Default base URL</th><th>Key variable</th><th>Base URL variable</th></tr>
 * <tr><td>{@code openai/} (or none)</td><td>https://api.openai.com/v1</td><td>OPENAI_API_KEY</td>
 *     <td>OPENAI_BASE_URL, OPENAI_API_BASE</td></tr>
 * <tr><td>{@code azure/}</td><td>none: required</td><td>AZURE_API_KEY, AZURE_OPENAI_API_KEY</td>
 *     <td>AZURE_API_BASE, AZURE_OPENAI_ENDPOINT (api-version from AZURE_API_VERSION, default 2024-10-21)</td></tr>
 * <tr><td>{@code ollama/}, {@code ollama_chat/}</td><td>http://localhost:11434/v1 (a root without /v1 gets it)</td>
 *     <td>none needed</td><td>OLLAMA_API_BASE</td></tr>
 * <tr><td>{@code hosted_vllm/}</td><td>http://localhost:8000/v1</td><td>none needed</td><td>HOSTED_VLLM_API_BASE</td></tr>
 * <tr><td>{@code lm_studio/}</td><td>http://localhost:1234/v1</td><td>none needed</td><td>LM_STUDIO_API_BASE</td></tr>
 * <tr><td>{@code llamafile/}</td><td>http://127.0.0.1:8080/v1</td><td>none needed</td><td>LLAMAFILE_API_BASE</td></tr>
 * <tr><td>{@code openrouter/}</td><td>https://openrouter.ai/api/v1</td><td>OPENROUTER_API_KEY</td>
 *     <td>OPENROUTER_API_BASE</td></tr>
 * <tr><td>{@code together_ai/}</td><td>https://api.together.xyz/v1</td><td>TOGETHERAI_API_KEY, TOGETHER_API_KEY</td>
 *     <td>TOGETHERAI_API_BASE</td></tr>
 * <tr><td>{@code groq/}</td><td>https://api.groq.com/openai/v1</td><td>GROQ_API_KEY</td><td>GROQ_API_BASE</td></tr>
 * <tr><td>{@code gemini/}</td><td>https://generativelanguage.googleapis.com/v1beta/openai</td>
 *     <td>GEMINI_API_KEY, GOOGLE_API_KEY</td><td>GEMINI_API_BASE</td></tr>
 * <tr><td>{@code deepseek/}, {@code mistral/}, {@code fireworks_ai/}, {@code xai/}, {@code deepinfra/}</td>
 *     <td>the provider's public endpoint</td><td>{@code <PREFIX>_API_KEY}</td><td>{@code <PREFIX>_API_BASE}</td></tr>
 * </table>
 *
 * <p>"Reasoning" is native reasoning as adapters use it: a signature's {@code Reasoning} output
 * leaves the prompt, {@code reasoning_effort} (default {@code low}) is sent, and the reply's
 * {@code reasoning_content} (or {@code reasoning}, as OpenRouter and vLLM name it) fills the
 * output. GPT-5 models are "no" because Chat Completions returns no reasoning text for them, and
 * DSPy 3.3.1 leaves their native reasoning off for that reason. Citations: no. The builder's
 * {@code capabilities(LmCapabilities)} replaces the table for a model it does not know (e.g. a
 * DeepSeek or Qwen reasoning model behind vLLM).
 * A llama.cpp server or any other OpenAI-compatible server: {@code openai/<model>} with
 * {@code OPENAI_BASE_URL} or the {@link Builder}'s {@code baseUrl(URI)}. A hosted provider needs a key only at
 * its default endpoint; with a configured base URL the key is optional (Azure always needs one,
 * unless an {@code Authorization} or {@code api-key} header is given).
 *
 * <h2>Options on the wire</h2>
 * The LM's {@link Builder#options(LmOptions) options} overridden by each request's options:
 * {@code temperature}, {@code max_tokens}, {@code n}, {@code stop}, {@code seed}, then every
 * {@link LmOptions#extra()} entry verbatim ({@code reasoning_effort}, {@code top_p}, ...), then the
 * request's typed parts: {@code tools} (as {@code function} tools), {@code tool_choice} and
 * {@code response_format} (see {@link #wireBody(LmRequest)}). Messages carry content parts
 * ({@code image_url}, {@code input_audio}, {@code file}), assistant {@code tool_calls} and
 * {@code tool} messages. {@code rollout_id} and {@code cache} are never sent. For OpenAI reasoning models ({@code o1/o3/o4/o5*}, {@code gpt-5*} but not
 * {@code gpt-5-chat}, matched on the last name segment as DSPy does) max tokens go out as
 * {@code max_completion_tokens}, and temperature must be unset or 1.0 and max tokens unset or at
 * least 16,000 ({@link LmException.Configuration} otherwise, at build time for the defaults and at
 * call time for merged options).
 *
 * <h2>Capabilities</h2>
 * <table>
 * <caption>Capabilities by model name (last segment)</caption>
 * <tr><th>Model</th><th>Function calling</th><th>Reasoning</th><th>Response schema</th><th>Supported params</th></tr>
 * <tr><td>reasoning models (above)</td><td>yes</td><td>o-series yes, gpt-5* no</td><td>yes</td><td>max_completion_tokens, n, seed,
 *     response_format, tools, tool_choice, parallel_tool_calls, reasoning_effort, ...</td></tr>
 * <tr><td>gpt-4o*, gpt-4.1*, gpt-5-chat*</td><td>yes</td><td>no</td><td>yes</td><td>temperature, max_tokens, n,
 *     stop, seed, response_format, tools, tool_choice, logprobs, ...</td></tr>
 * <tr><td>other gpt-4*, gpt-3.5*</td><td>yes</td><td>no</td><td>no</td><td>as above</td></tr>
 * <tr><td>gemini-*</td><td>yes</td><td>gemini-2.5*, gemini-3*</td><td>yes</td><td>as above plus reasoning_effort</td></tr>
 * <tr><td>anything else</td><td>no</td><td>no</td><td>no</td><td>temperature, max_tokens, n, stop, seed, top_p,
 *     response_format</td></tr>
 * </table>
 *
 * <h2>Transport</h2>
 * One {@code java.net.http.HttpClient} shared by every client with the same connection settings,
 * so discarded instances leave no thread behind (HTTP/1.1 to {@code http://} servers, HTTP/2
 * negotiated for {@code https://}); calls block their thread (cheaply, on virtual threads). The
 * {@link Builder#timeout(Duration) timeout} (default 10 minutes, like litellm and the OpenAI SDK)
 * is the whole-call deadline: up to the complete reply, and for streams up to their last event. A
 * stream also fails when it sends no event for the {@link Builder#idleTimeout(Duration)
 * idleTimeout} (default 60 seconds). Both fail with a retryable {@link LmException.Timeout} and
 * close the connection. Connecting is bounded by the timeout and at most 10 seconds. A reply (or
 * a stream's bytes in all) larger than {@link Builder#maxResponseBytes(long) maxResponseBytes}
 * (default 32 MiB) fails with a non-retryable {@link LmException} and the connection is closed
 * without reading the rest; error replies are read only up to 8 KiB. Redirects are not followed.
 * No retries: put interceptors in front ({@link #withInterceptors(LmInterceptor...)}).
 *
 * <p>{@link #stream(LmRequest)} sends {@code stream: true} with
 * {@code stream_options.include_usage}; the stream yields text and reasoning deltas and its
 * {@link LmStream#response()} the assembled choices with the final usage. A stream ending before
 * {@code data: [DONE]} fails with {@link LmException.Transport}.
 *
 * <h2>Errors</h2>
 * Every failure is an {@link LmException}: 429 {@link LmException.RateLimited} (with
 * {@code retry-after-ms} or {@code Retry-After}, seconds or HTTP date); 408 and timeouts
 * {@link LmException.Timeout}; 5xx {@link LmException.ServerError}; broken connections
 * {@link LmException.Transport}; 401/402/403 and exhausted quota {@link LmException.Authentication};
 * 404 or "model not found" {@link LmException.UnknownModel}; context overflow
 * {@link LmException.ContextWindowExceeded}; other 4xx {@link LmException.BadRequest}. A 2xx reply
 * that is not a chat completion (HTML, wrong JSON) is a non-retryable
 * {@link LmException.Configuration} naming the problem with an excerpt, since retrying the same
 * endpoint gives the same page; a JSON body that breaks off mid-way is a retryable
 * {@link LmException.Transport}. Messages name provider, model, status and request id, quote the
 * provider's message (up to 300 characters) and never contain the API key.
 *
 * <p>Immutable and thread-safe; share one instance. Logs to SLF4J logger {@code dev.dspy4j.provider.http}
 * at DEBUG only: one line per call (provider, model, message count, status, latency, request id),
 * never bodies or keys. {@link #toString()} and {@link #savedState()} never contain the key, base
 * URL or headers.
 */
public final class OpenAiLm extends HttpChatLm implements Lm {

    private OpenAiLm(OpenAiChat chat, LmOptions options, @Nullable LmCapabilities capabilities) {
        super(chat, options, capabilities);
    }

    /** A {@link Builder}; its {@code model(String)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The provider, e.g. {@code openai}, {@code ollama}, {@code azure}. */
    /**
     * The provider-neutral parts of a request as this client writes them, without the model or
     * the streaming flag: {@code messages} (content parts as OpenAI content-part objects, tool calls,
     * tool results), the options by wire name, {@code tools}, {@code tool_choice} and
     * {@code response_format}. The same shapes DSPy sends through litellm; useful to show or
     * export a prompt.
     *
     * @param request the request
     * @return the JSON-ready body, keys in the order sent
     */
    public static Map<String, Object> wireBody(LmRequest request) {
        return OpenAiRequests.body(request);
    }

    public String provider() {
        return chat.endpoint().provider();
    }

    /**
     * Builds an {@link OpenAiLm}. Each setter validates its argument at once; {@link #build()}
     * resolves the provider, key and base URL (by default from the provider's environment variables
     * or its public endpoint, as in the table of the class documentation). Not thread-safe.
     */
    public static final class Builder extends LmBuilder<Builder> {

        private Builder() {
        }

        /**
         * Builds the LM.
         *
         * @throws IllegalStateException if no model was set
         * @throws LmException.Configuration if the provider prefix is unknown, a needed key or base
         *     URL is missing (the message names the variable to set), or the defaults break the
         *     reasoning-model rule
         */
        public OpenAiLm build() {
            return new OpenAiLm(new OpenAiChat(settings.resolveOpenAiCompatible()), options, capabilities);
        }
    }
}
