package dev.dspy4j.provider.http;

import dev.dspy4j.lm.LmCapabilities;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.lm.LmOptions;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a model accepts, by name: DSPy's rule for OpenAI reasoning models and the capability table
 * adapters consult. The table (documented on {@code OpenAiLm} and {@code AnthropicLm}) is
 * deliberately small: models it does not know get plain chat plus the options every
 * OpenAI-compatible server accepts.
 */
final class ModelRules {

    /** DSPy 3.3's pattern for OpenAI reasoning models, matched at the start of the last name segment. */
    private static final Pattern REASONING = Pattern.compile("^(?:o[1345]|gpt-5)(?:-(?:mini|nano))?");

    private static final Set<String> BASIC = Set.of("temperature", "max_tokens", "n", "stop", "seed", "top_p",
            "response_format");
    private static final Set<String> OPENAI_CHAT = Set.of("temperature", "max_tokens", "max_completion_tokens", "n",
            "stop", "seed", "top_p", "frequency_penalty", "presence_penalty", "logprobs", "top_logprobs",
            "logit_bias", "user", "response_format", "tools", "tool_choice", "parallel_tool_calls");
    private static final Set<String> OPENAI_REASONING = Set.of("temperature", "max_completion_tokens", "n", "seed",
            "response_format", "tools", "tool_choice", "parallel_tool_calls", "reasoning_effort", "user");
    private static final Set<String> GEMINI = Set.of("temperature", "max_tokens", "max_completion_tokens", "n",
            "stop", "seed", "top_p", "response_format", "tools", "tool_choice", "reasoning_effort");
    private static final Set<String> ANTHROPIC = Set.of("temperature", "max_tokens", "stop", "top_p", "top_k",
            "tools", "tool_choice", "thinking", "reasoning_effort", "metadata");

    private ModelRules() {
    }

    /** The last segment of a wire model name, lower case: {@code openai/o3-mini} gives {@code o3-mini}. */
    static String family(String wireModel) {
        int slash = wireModel.lastIndexOf('/');
        return (slash < 0 ? wireModel : wireModel.substring(slash + 1)).toLowerCase(Locale.ROOT);
    }

    /** DSPy's OpenAI reasoning models: {@code o1/o3/o4/o5*} and {@code gpt-5*}, but not {@code gpt-5-chat}. */
    static boolean isOpenAiReasoning(String wireModel) {
        String family = family(wireModel);
        return REASONING.matcher(family).find() && !family.contains("gpt-5-chat");
    }

    /**
     * DSPy's check for reasoning models: temperature unset or 1.0, max tokens unset or at least
     * 16,000.
     *
     * @throws LmException.Configuration naming the offending option
     */
    static void checkReasoningOptions(String provider, String model, LmOptions options) {
        boolean badTemperature = options.temperature() != null && options.temperature() != 1.0;
        boolean badTokens = options.maxTokens() != null && options.maxTokens() < 16_000;
        if (badTemperature || badTokens) {
            throw new LmException.Configuration("OpenAI's reasoning models require temperature 1.0 or unset and "
                    + "max tokens >= 16000 or unset; " + model + " was given "
                    + (badTemperature ? "temperature " + options.temperature() : "")
                    + (badTemperature && badTokens ? " and " : "")
                    + (badTokens ? "max tokens " + options.maxTokens() : "")
                    + ". Use e.g. LmOptions.NONE.withTemperature(1.0).withMaxTokens(16000)", provider);
        }
    }

    /** Capabilities of a model behind an OpenAI-compatible endpoint. */
    static LmCapabilities openAiCompatible(String provider, String wireModel) {
        String family = family(wireModel);
        if (isOpenAiReasoning(wireModel)) {
            // GPT-5 models return no reasoning content over Chat Completions, so DSPy 3.3.1 does not
            // use their native reasoning there (its Reasoning type checks "gpt-5" and model_type chat)
            return new LmCapabilities(true, !family.startsWith("gpt-5"), true, OPENAI_REASONING);
        }
        if (family.startsWith("gpt-4o") || family.startsWith("gpt-4.1") || family.startsWith("gpt-5")
                || family.startsWith("chatgpt-4o")) {
            return new LmCapabilities(true, false, true, OPENAI_CHAT);
        }
        if (family.startsWith("gpt-4") || family.startsWith("gpt-3.5")) {
            return new LmCapabilities(true, false, false, OPENAI_CHAT);
        }
        if (family.startsWith("gemini-")) {
            boolean thinking = family.startsWith("gemini-2.5") || family.startsWith("gemini-3");
            return new LmCapabilities(true, thinking, true, GEMINI);
        }
        return new LmCapabilities(false, false, false, BASIC);
    }

    /** Capabilities of an Anthropic model. */
    static LmCapabilities anthropic(String wireModel) {
        String family = family(wireModel);
        boolean thinking = family.startsWith("claude-3-7") || family.startsWith("claude-sonnet-4")
                || family.startsWith("claude-opus-4") || family.startsWith("claude-haiku-4")
                || family.startsWith("claude-4");
        // native citations: DSPy turns them on for every anthropic/ model
        return new LmCapabilities(true, thinking, false, ANTHROPIC, true);
    }
}
