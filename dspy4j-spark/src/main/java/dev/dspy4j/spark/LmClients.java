package dev.dspy4j.spark;

import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmException;
import dev.dspy4j.provider.Lms;
import java.util.Map;

/** Turns an {@link LmConfig} into a bare HTTP client; the only place that reveals its key. */
final class LmClients {

    private LmClients() {
    }

    static Lm build(LmConfig config, Map<String, String> environment) {
        String key = null;
        if (config.apiKey() != null) {
            key = config.apiKey().reveal();
        } else if (config.apiKeyVariable() != null) {
            key = environment.get(config.apiKeyVariable());
            if (key == null || key.isBlank()) {
                throw new LmException.Configuration("The API key variable " + config.apiKeyVariable()
                        + " is not set in this JVM's environment; on a cluster set spark.executorEnv."
                        + config.apiKeyVariable() + " (and export it for the driver).", provider(config.model()));
            }
        }
        Lms.Builder builder = Lms.builder(config.model()).environment(environment).options(config.options())
                .retry(false).cache(false);
        if (key != null) {
            builder.apiKey(key);
        }
        if (config.apiBase() != null) {
            builder.baseUrl(config.apiBase());
        }
        if (config.requestTimeout() != null) {
            builder.timeout(config.requestTimeout());
        }
        return builder.build();
    }

    private static String provider(String model) {
        int slash = model.indexOf('/');
        return slash < 0 ? "openai" : model.substring(0, slash);
    }
}
