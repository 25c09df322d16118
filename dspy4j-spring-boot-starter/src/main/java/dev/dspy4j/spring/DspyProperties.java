package dev.dspy4j.spring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * dspy4j's settings under the {@code dspy4j} prefix: the LM, the adapter, the response cache, the
 * programs to load as beans and the actuator health check. See {@code docs/spring.md} for the
 * table. {@link #toString()} never shows the API key.
 */
@ConfigurationProperties("dspy4j")
public class DspyProperties {

    /** The adapter that formats prompts and parses completions. */
    public enum AdapterType {
        /** DSPy's default ChatAdapter ({@code [[ ## field ## ]]} sections). */
        CHAT,
        /** The JsonAdapter. */
        JSON,
        /** The XmlAdapter. */
        XML
    }

    /** Where LM responses are cached. */
    public enum CacheType {
        /** No cache: every call goes to the provider. */
        NONE,
        /** An in-memory LRU cache of {@code memory-size} entries. */
        MEMORY,
        /** Memory, then a disk cache in {@code disk-dir}. */
        DISK,
        /** Memory, then Redis at {@code redis-url} (needs dspy4j-cache-redis on the class path). */
        REDIS
    }

    private final Lm lm = new Lm();
    private AdapterType adapter = AdapterType.CHAT;
    private final Cache cache = new Cache();
    private final Map<String, Program> programs = new LinkedHashMap<>();
    private final Health health = new Health();

    /** @return the LM settings */
    public Lm getLm() {
        return lm;
    }

    /** @return the adapter, {@code chat} by default */
    public AdapterType getAdapter() {
        return adapter;
    }

    /** @param adapter the adapter */
    public void setAdapter(AdapterType adapter) {
        this.adapter = adapter;
    }

    /** @return the cache settings */
    public Cache getCache() {
        return cache;
    }

    /** @return the programs to define as beans, by bean name */
    public Map<String, Program> getPrograms() {
        return programs;
    }

    /** @return the health check settings */
    public Health getHealth() {
        return health;
    }

    @Override
    public String toString() {
        return "DspyProperties[lm=" + lm + ", adapter=" + adapter + ", cache=" + cache.type
                + ", programs=" + programs.keySet() + "]";
    }

    /** The LM: without {@code model} no LM and no {@code DspyContext} bean is made. */
    public static class Lm {
        /** DSPy model name, e.g. openai/gpt-4o-mini or anthropic/claude-sonnet-4-5. */
        private String model;
        /** The provider's base URL; by default the provider's environment variable or public endpoint. */
        private String baseUrl;
        /** The API key; by default the provider's environment variable (e.g. OPENAI_API_KEY). Never logged. */
        private String apiKey;
        /** How long one request may take. */
        private Duration timeout = Duration.ofSeconds(60);
        /** Retries of a failed call (rate limits, timeouts, server errors); 0 turns retrying off. */
        private int maxRetries = 3;
        /** The most calls in flight at once (an adaptive limit that starts there); unset for no limit. */
        private Integer concurrency;
        /** Default temperature of every request. */
        private Double temperature;
        /** Default max_tokens of every request. */
        private Integer maxTokens;

        /** @return the DSPy model name */
        public String getModel() {
            return model;
        }

        /** @param model the DSPy model name */
        public void setModel(String model) {
            this.model = model;
        }

        /** @return the base URL, or null for the provider's default */
        public String getBaseUrl() {
            return baseUrl;
        }

        /** @param baseUrl the base URL */
        public void setBaseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        /** @return the API key, or null to read the provider's environment variable */
        public String getApiKey() {
            return apiKey;
        }

        /** @param apiKey the API key */
        public void setApiKey(String apiKey) {
            this.apiKey = apiKey;
        }

        /** @return the request timeout */
        public Duration getTimeout() {
            return timeout;
        }

        /** @param timeout the request timeout */
        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        /** @return the retries of a failed call */
        public int getMaxRetries() {
            return maxRetries;
        }

        /** @param maxRetries the retries of a failed call, 0 for none */
        public void setMaxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
        }

        /** @return the concurrency limit, or null for none */
        public Integer getConcurrency() {
            return concurrency;
        }

        /** @param concurrency the concurrency limit */
        public void setConcurrency(Integer concurrency) {
            this.concurrency = concurrency;
        }

        /** @return the default temperature, or null */
        public Double getTemperature() {
            return temperature;
        }

        /** @param temperature the default temperature */
        public void setTemperature(Double temperature) {
            this.temperature = temperature;
        }

        /** @return the default max tokens, or null */
        public Integer getMaxTokens() {
            return maxTokens;
        }

        /** @param maxTokens the default max tokens */
        public void setMaxTokens(Integer maxTokens) {
            this.maxTokens = maxTokens;
        }

        @Override
        public String toString() {
            return "Lm[model=" + model + ", baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "unset" : "******")
                    + ", timeout=" + timeout + ", maxRetries=" + maxRetries + ", concurrency=" + concurrency + "]";
        }
    }

    /** The LM response cache. */
    public static class Cache {
        /** none, memory (default), disk (memory then disk) or redis (memory then Redis). */
        private CacheType type = CacheType.MEMORY;
        /** Entries kept in memory. */
        private int memorySize = 100_000;
        /** The disk cache's directory; DSPy's default (~/.dspy_cache or DSPY_CACHEDIR) if unset. */
        private Path diskDir;
        /** Redis URL, e.g. redis://localhost:6379, for type redis. */
        private String redisUrl;

        /** @return the cache type */
        public CacheType getType() {
            return type;
        }

        /** @param type the cache type */
        public void setType(CacheType type) {
            this.type = type;
        }

        /** @return the in-memory entries */
        public int getMemorySize() {
            return memorySize;
        }

        /** @param memorySize the in-memory entries */
        public void setMemorySize(int memorySize) {
            this.memorySize = memorySize;
        }

        /** @return the disk directory, or null for the default */
        public Path getDiskDir() {
            return diskDir;
        }

        /** @param diskDir the disk directory */
        public void setDiskDir(Path diskDir) {
            this.diskDir = diskDir;
        }

        /** @return the Redis URL */
        public String getRedisUrl() {
            return redisUrl;
        }

        /** @param redisUrl the Redis URL */
        public void setRedisUrl(String redisUrl) {
            this.redisUrl = redisUrl;
        }
    }

    /** One program defined as a {@code Module} bean. */
    public static class Program {
        /** A signature such as "text -> label"; or set program-class instead. */
        private String signature;
        /** predict (default) or cot (ChainOfThought), for a signature. */
        private String module = "predict";
        /** A Module subclass with a public no-argument constructor, instead of a signature. */
        private String programClass;
        /** Optimized state saved by DSPy or dspy4j, e.g. classpath:optimized/classify.json. */
        private String state;

        /** @return the signature */
        public String getSignature() {
            return signature;
        }

        /** @param signature the signature */
        public void setSignature(String signature) {
            this.signature = signature;
        }

        /** @return predict or cot */
        public String getModule() {
            return module;
        }

        /** @param module predict or cot */
        public void setModule(String module) {
            this.module = module;
        }

        /** @return the program class name */
        public String getProgramClass() {
            return programClass;
        }

        /** @param programClass the program class name */
        public void setProgramClass(String programClass) {
            this.programClass = programClass;
        }

        /** @return the state location */
        public String getState() {
            return state;
        }

        /** @param state the state location */
        public void setState(String state) {
            this.state = state;
        }
    }

    /** The actuator health check of the provider. */
    public static class Health {
        /** Whether the dspy4j health indicator is registered (when actuator is present). */
        private boolean enabled = true;
        /** How long one check may take. */
        private Duration timeout = Duration.ofSeconds(3);
        /** How long a result is reused before the provider is asked again. */
        private Duration cacheFor = Duration.ofSeconds(30);

        /** @return whether the check is on */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the check is on */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the check's timeout */
        public Duration getTimeout() {
            return timeout;
        }

        /** @param timeout the check's timeout */
        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        /** @return how long a result is reused */
        public Duration getCacheFor() {
            return cacheFor;
        }

        /** @param cacheFor how long a result is reused */
        public void setCacheFor(Duration cacheFor) {
            this.cacheFor = cacheFor;
        }
    }
}
