package dev.dspy4j.provider.http;

import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.LmRequest;
import dev.dspy4j.lm.LmResponse;
import dev.dspy4j.lm.LmStream;

/**
 * One provider's chat API over HTTP ({@link OpenAiChat}, {@link AnthropicChat}), as the public LM
 * classes use it. Implementations are immutable and thread-safe.
 */
public interface Chat {

    /** The endpoint. */
    Endpoint endpoint();

    /** The model's capabilities. */
    LmCapabilities capabilities();

    /**
     * Checks that the provider accepts the options.
     *
     * @throws LmException.Configuration if not
     */
    void check(LmOptions options);

    /**
     * Sends a request with the already merged options.
     *
     * @throws LmException on any failure
     */
    LmResponse call(LmRequest request);

    /**
     * Starts a streaming request with the already merged options.
     *
     * @throws LmException if the call cannot be started
     */
    LmStream stream(LmRequest request);

    /** Releases the HTTP client (see {@code Lm.close()}); idempotent. */
    void close();
}
