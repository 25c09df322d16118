package dev.dspy4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigTest {

    @Test
    void anExplicitKeySurvivesSerializationButNeverShows() throws Exception {
        LmConfig config = LmConfig.builder("openai/gpt-4o-mini").apiKey("sk-live-abc123").temperature(0.0).build();

        LmConfig copy = roundTrip(config);

        assertThat(config.toString()).doesNotContain("sk-live-abc123").contains("apiKey=<secret>");
        assertThat(copy.apiKey().reveal()).isEqualTo("sk-live-abc123");
        assertThat(copy.fingerprintText()).isEqualTo(config.fingerprintText()).doesNotContain("sk-live-abc123");
    }

    @Test
    void aKeyFromTheEnvironmentTravelsAsTheVariablesNameOnly() throws Exception {
        LmConfig config = LmConfig.builder("openai/gpt-4o-mini").apiKeyFromEnv("OPENAI_API_KEY").build();

        byte[] bytes = serialize(config);

        assertThat(config.toString()).contains("apiKey=$OPENAI_API_KEY");
        assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).contains("OPENAI_API_KEY");
    }

    @Test
    void redisPasswordsAreMaskedInEveryToString() {
        String url = "redis://user:hunter2@cache:6379";
        CacheConfig cache = CacheConfig.redis(url).ttl(Duration.ofDays(1));
        RateLimitConfig limit = RateLimitConfig.requestsPerMinute(60).redis(url);

        assertThat(cache.toString()).doesNotContain("hunter2").contains("redis://***@cache:6379");
        assertThat(limit.toString()).doesNotContain("hunter2");
        assertThat(cache.url()).isEqualTo(url);
    }

    @Test
    void settingsAreCheckedAsTheyAreSet() {
        assertThatThrownBy(() -> LmConfig.builder(" ")).hasMessageContaining("model");
        assertThatThrownBy(() -> LmConfig.builder("m").apiBase("localhost:8000")).hasMessageContaining("apiBase");
        assertThatThrownBy(() -> CacheConfig.redis("http://cache:6379")).hasMessageContaining("redis://");
        assertThatThrownBy(() -> RateLimitConfig.requestsPerMinute(0)).hasMessageContaining("requestsPerMinute");
        assertThatThrownBy(() -> SparkPredict.builder().maxInFlight(0)).hasMessageContaining("maxInFlight");
        assertThatThrownBy(() -> SparkPredict.builder().program(SparkProgram.predict("q -> a"))
                .lm(LmConfig.builder("m").build()).rateLimit(RateLimitConfig.requestsPerMinute(5)).build())
                .hasMessageContaining("needs a Redis");
        assertThatThrownBy(() -> SparkProgram.predict("q -> a").withState("x".repeat(SparkProgram.MAX_STATE_CHARS + 1)))
                .hasMessageContaining("at most");
    }

    @Test
    void theRuntimeFingerprintChangesWithTheConfiguration() {
        SparkPredict.Builder builder = SparkPredict.builder().program(SparkProgram.predict("q -> a"))
                .lm(LmConfig.builder("m").build());
        String one = builder.build().runtimeFingerprintText();
        String other = builder.maxInFlight(3).build().runtimeFingerprintText();

        assertThat(ExecutorRuntimes.fingerprint(one)).isNotEqualTo(ExecutorRuntimes.fingerprint(other))
                .isEqualTo(ExecutorRuntimes.fingerprint(builder.maxInFlight(SparkPredict.DEFAULT_MAX_IN_FLIGHT).build()
                        .runtimeFingerprintText()));
    }

    private static byte[] serialize(Object value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialize(value)))) {
            return (T) in.readObject();
        }
    }
}
