package dev.dspy4j.lm;

import java.util.Set;

/**
 * What an LM supports beyond plain chat, which adapters consult to decide what to send.
 *
 * @param functionCalling native tool calling
 * @param reasoning native reasoning: the LM takes {@code reasoning_effort} and returns its
 *     reasoning apart from the reply ({@link Choice#reasoningContent()}). A signature's
 *     {@code Reasoning} output is then filled from it instead of being asked for in the prompt.
 * @param responseSchema JSON-schema structured outputs
 * @param supportedParams wire names of the optional parameters it accepts, e.g.
 *     {@code response_format}
 * @param citations native citations: the LM returns the passages of the request's documents that
 *     its reply cites ({@link Choice#citations()}), as Anthropic's Messages API does. A signature's
 *     {@code Citations} output is then filled from them instead of being asked for in the prompt
 *     (DSPy decides this by an {@code anthropic/} model name)
 */
public record LmCapabilities(boolean functionCalling, boolean reasoning, boolean responseSchema,
                             Set<String> supportedParams, boolean citations) {

    /** Nothing beyond plain chat (DSPy's defaults for a custom LM). */
    public static final LmCapabilities NONE = new LmCapabilities(false, false, false, Set.of(), false);

    public LmCapabilities {
        supportedParams = Set.copyOf(supportedParams);
    }

    /** Capabilities without native citations. */
    public LmCapabilities(boolean functionCalling, boolean reasoning, boolean responseSchema,
                          Set<String> supportedParams) {
        this(functionCalling, reasoning, responseSchema, supportedParams, false);
    }

    /** These capabilities with native reasoning on or off. */
    public LmCapabilities withReasoning(boolean value) {
        return new LmCapabilities(functionCalling, value, responseSchema, supportedParams, citations);
    }

    /** These capabilities with native citations on or off. */
    public LmCapabilities withCitations(boolean value) {
        return new LmCapabilities(functionCalling, reasoning, responseSchema, supportedParams, value);
    }

    /** Whether the LM accepts the named parameter. */
    public boolean supports(String param) {
        return supportedParams.contains(param);
    }
}
