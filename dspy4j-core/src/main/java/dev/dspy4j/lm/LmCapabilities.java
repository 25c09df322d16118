package dev.dspy4j.lm;

import java.util.Set;

/**
 * What an LM supports beyond plain chat, which adapters consult to decide what to send.
 *
 * @param functionCalling native tool calling
 * @param reasoning native reasoning ({@code reasoning_effort})
 * @param responseSchema JSON-schema structured outputs
 * @param supportedParams wire names of the optional parameters it accepts, e.g.
 *     {@code response_format}
 */
public record LmCapabilities(boolean functionCalling, boolean reasoning, boolean responseSchema,
                             Set<String> supportedParams) {

    /** Nothing beyond plain chat (DSPy's defaults for a custom LM). */
    public static final LmCapabilities NONE = new LmCapabilities(false, false, false, Set.of());

    public LmCapabilities {
        supportedParams = Set.copyOf(supportedParams);
    }

    /** Whether the LM accepts the named parameter. */
    public boolean supports(String param) {
        return supportedParams.contains(param);
    }
}
