package dev.dspy4j.provider.http;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A provider prefix of DSPy model names ({@code openai/}, {@code ollama_chat/}, ...) and where its
 * endpoint and key come from.
 *
 * @param name the provider name used in messages and exceptions
 * @param defaultBase the base URL when none is configured, or {@code null} if one must be set
 * @param keyVars environment variables holding the API key, first set wins
 * @param baseVars environment variables holding the base URL, first set wins
 * @param keyRequired whether the default endpoint needs a key (a configured base URL never does)
 * @param auth how the key is sent
 */
record Provider(String name, @Nullable String defaultBase, List<String> keyVars, List<String> baseVars,
                boolean keyRequired, Auth auth) {

    /** How a provider expects its key. */
    enum Auth {
        /** {@code Authorization: Bearer <key>}. */
        BEARER,
        /** Azure's {@code api-key: <key>} header. */
        AZURE,
        /** Anthropic's {@code x-api-key: <key>} header. */
        ANTHROPIC
    }

    static final Provider OPENAI = new Provider("openai", "https://api.openai.com/v1",
            List.of("OPENAI_API_KEY"), List.of("OPENAI_BASE_URL", "OPENAI_API_BASE"), true, Auth.BEARER);
    static final Provider ANTHROPIC = new Provider("anthropic", "https://api.anthropic.com",
            List.of("ANTHROPIC_API_KEY"), List.of("ANTHROPIC_BASE_URL", "ANTHROPIC_API_BASE"), true, Auth.ANTHROPIC);
    static final Provider AZURE = new Provider("azure", null,
            List.of("AZURE_API_KEY", "AZURE_OPENAI_API_KEY"), List.of("AZURE_API_BASE", "AZURE_OPENAI_ENDPOINT"), true,
            Auth.AZURE);
    static final Provider OLLAMA = local("ollama", "http://localhost:11434/v1", "OLLAMA");

    /** OpenAI-compatible providers by DSPy/litellm prefix. */
    static final Map<String, Provider> OPENAI_COMPATIBLE;

    static {
        Map<String, Provider> table = new TreeMap<>();
        table.put("openai", OPENAI);
        table.put("azure", AZURE);
        table.put("ollama", OLLAMA);
        table.put("ollama_chat", OLLAMA);
        table.put("hosted_vllm", local("hosted_vllm", "http://localhost:8000/v1", "HOSTED_VLLM"));
        table.put("lm_studio", local("lm_studio", "http://localhost:1234/v1", "LM_STUDIO"));
        table.put("llamafile", local("llamafile", "http://127.0.0.1:8080/v1", "LLAMAFILE"));
        table.put("openrouter", hosted("openrouter", "https://openrouter.ai/api/v1",
                List.of("OPENROUTER_API_KEY", "OR_API_KEY"), "OPENROUTER"));
        table.put("together_ai", hosted("together_ai", "https://api.together.xyz/v1",
                List.of("TOGETHERAI_API_KEY", "TOGETHER_API_KEY", "TOGETHER_AI_API_KEY"), "TOGETHERAI"));
        table.put("groq", hosted("groq", "https://api.groq.com/openai/v1", List.of("GROQ_API_KEY"), "GROQ"));
        table.put("gemini", hosted("gemini", "https://generativelanguage.googleapis.com/v1beta/openai",
                List.of("GEMINI_API_KEY", "GOOGLE_API_KEY"), "GEMINI"));
        table.put("deepseek", hosted("deepseek", "https://api.deepseek.com/v1", List.of("DEEPSEEK_API_KEY"), "DEEPSEEK"));
        table.put("mistral", hosted("mistral", "https://api.mistral.ai/v1", List.of("MISTRAL_API_KEY"), "MISTRAL"));
        table.put("fireworks_ai", hosted("fireworks_ai", "https://api.fireworks.ai/inference/v1",
                List.of("FIREWORKS_AI_API_KEY", "FIREWORKS_API_KEY"), "FIREWORKS_AI"));
        table.put("xai", hosted("xai", "https://api.x.ai/v1", List.of("XAI_API_KEY"), "XAI"));
        table.put("deepinfra", hosted("deepinfra", "https://api.deepinfra.com/v1/openai",
                List.of("DEEPINFRA_API_KEY"), "DEEPINFRA"));
        OPENAI_COMPATIBLE = Map.copyOf(table);
    }

    private static Provider local(String name, String base, String envPrefix) {
        return new Provider(name, base, List.of(envPrefix + "_API_KEY"), List.of(envPrefix + "_API_BASE"), false,
                Auth.BEARER);
    }

    private static Provider hosted(String name, String base, List<String> keyVars, String envPrefix) {
        return new Provider(name, base, keyVars, List.of(envPrefix + "_API_BASE"), true, Auth.BEARER);
    }

    /** The OpenAI-compatible prefixes, sorted, for error messages. */
    static String openAiPrefixes() {
        return String.join(", ", new TreeMap<>(OPENAI_COMPATIBLE).keySet());
    }
}
