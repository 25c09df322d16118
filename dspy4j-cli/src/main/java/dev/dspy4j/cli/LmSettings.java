package dev.dspy4j.cli;

import dev.dspy4j.cache.DiskCache;
import dev.dspy4j.cache.MemoryCache;
import dev.dspy4j.cache.TieredCache;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.Retry;
import dev.dspy4j.provider.Lms;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The LM options shared by the commands that call one. API keys come from the environment only
 * ({@code OPENAI_API_KEY}, {@code ANTHROPIC_API_KEY}, {@code <PROVIDER>_API_KEY}): an argument
 * would show in {@code ps} and in shell history.
 */
final class LmSettings {

    @Option(names = "--lm", paramLabel = "MODEL", required = true,
            description = "the model, as DSPy names it: openai/gpt-4o-mini, anthropic/claude-..., ollama_chat/...")
    String model = "";

    @Option(names = "--base-url", paramLabel = "URL",
            description = "the provider's endpoint (else OPENAI_BASE_URL, <PROVIDER>_API_BASE or the provider's default)")
    @Nullable String baseUrl;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "keep LM responses in this directory too (memory, then disk); reruns are answered from it")
    @Nullable Path cacheDir;

    @Option(names = "--max-retries", paramLabel = "N", defaultValue = "3",
            description = "retries per LM call on rate limits, timeouts and server errors (default: ${DEFAULT-VALUE})")
    int maxRetries = 3;

    /**
     * The LM, behind retry and cache.
     *
     * @throws CliException with {@link ExitCodes#USAGE} for a malformed base URL or retry count
     * @throws dev.dspy4j.lm.LmException.Configuration for an unknown provider or a missing key
     */
    Lm build(Map<String, String> environment) {
        if (maxRetries < 0) {
            throw CliException.usage("--max-retries must be 0 or more, got " + maxRetries);
        }
        Map<String, String> env = new HashMap<>(environment);
        if (baseUrl != null) {
            try {
                URI uri = new URI(baseUrl);
                if (uri.getScheme() == null || uri.getHost() == null) {
                    throw new URISyntaxException(baseUrl, "needs a scheme and a host");
                }
            } catch (URISyntaxException e) {
                throw CliException.usage("--base-url " + baseUrl + " is not a URL like http://localhost:8000/v1: "
                        + e.getReason());
            }
            env.put(baseUrlVariable(model), baseUrl);
        }
        Lms.Builder builder = Lms.builder(model).environment(env);
        builder = maxRetries == 0 ? builder.retry(false) : builder.retry(Retry.builder().maxRetries(maxRetries).build());
        if (cacheDir != null) {
            builder = builder.cache(TieredCache.of(new MemoryCache(MemoryCache.DEFAULT_MAX_ENTRIES),
                    DiskCache.at(cacheDir)));
        }
        return builder.build();
    }

    /** The environment variable that sets the endpoint of the model's provider. */
    static String baseUrlVariable(String model) {
        int slash = model.indexOf('/');
        String prefix = slash < 0 ? "openai" : model.substring(0, slash).strip().toLowerCase(Locale.ROOT);
        return switch (prefix) {
            case "openai" -> "OPENAI_BASE_URL";
            case "anthropic" -> "ANTHROPIC_BASE_URL";
            case "azure" -> "AZURE_API_BASE";
            case "together_ai" -> "TOGETHERAI_API_BASE";
            default -> prefix.toUpperCase(Locale.ROOT) + "_API_BASE";
        };
    }
}
