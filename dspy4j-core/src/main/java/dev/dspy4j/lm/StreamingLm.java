package dev.dspy4j.lm;

/** An LM that can also stream its completion token by token. */
public interface StreamingLm extends LM {

    /**
     * Starts a streaming call.
     *
     * @param request messages and options
     * @return the stream; close it (try-with-resources) to release the connection
     * @throws LmException if the call cannot be started
     */
    LmStream stream(LmRequest request);
}
