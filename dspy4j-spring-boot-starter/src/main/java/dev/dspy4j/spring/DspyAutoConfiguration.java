package dev.dspy4j.spring;

import dev.dspy4j.adapter.Adapter;
import dev.dspy4j.adapter.ChatAdapter;
import dev.dspy4j.adapter.JsonAdapter;
import dev.dspy4j.adapter.XmlAdapter;
import dev.dspy4j.cache.CacheInterceptor;
import dev.dspy4j.cache.DiskCache;
import dev.dspy4j.cache.LmCache;
import dev.dspy4j.cache.MemoryCache;
import dev.dspy4j.cache.TieredCache;
import dev.dspy4j.cache.redis.RedisCache;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.lm.ConcurrencyLimit;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.lm.LmInterceptor;
import dev.dspy4j.lm.LmOptions;
import dev.dspy4j.lm.Retry;
import dev.dspy4j.provider.AnthropicLm;
import dev.dspy4j.provider.OpenAiLm;
import dev.dspy4j.trace.DspyListener;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;

/**
 * Spring Boot auto-configuration of dspy4j from {@link DspyProperties}.
 *
 * <ul>
 *   <li>With {@code dspy4j.lm.model} set: an {@link LmCache} (per {@code dspy4j.cache.type}), an
 *       {@link Lm} (the provider's client behind retry, cache and an optional concurrency limit;
 *       closed with the context) and a {@link DspyContext} with the adapter and every
 *       {@link DspyListener} bean.</li>
 *   <li>Without it: no LM and no context. Programs still load (their state needs no LM), and
 *       {@link DspyPrograms#call} then fails naming the property to set.</li>
 *   <li>Always: {@link DspyPrograms} and one {@code Module} bean per {@code dspy4j.programs.<name>}.</li>
 * </ul>
 *
 * Every bean backs off when the application defines its own of the same type.
 */
@AutoConfiguration
@EnableConfigurationProperties(DspyProperties.class)
public class DspyAutoConfiguration {

    /** Creates the configuration; Spring calls this. */
    public DspyAutoConfiguration() {
    }

    /**
     * Registers one {@code Module} bean per configured program.
     *
     * @return the registrar
     */
    @Bean
    static DspyProgramRegistrar dspyProgramRegistrar() {
        return new DspyProgramRegistrar();
    }

    /**
     * The configured programs, loaded with their optimized state.
     *
     * @param properties the settings
     * @param context the context, if an LM is configured
     * @param resources where state files are read from
     * @return the registry
     */
    @Bean
    @ConditionalOnMissingBean
    public DspyPrograms dspyPrograms(DspyProperties properties, ObjectProvider<DspyContext> context,
                                     ResourceLoader resources) {
        return DspyPrograms.load(properties.getPrograms(), context, resources);
    }

    /** The LM and its context, made only when {@code dspy4j.lm.model} is set. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "dspy4j.lm", name = "model")
    static class LmConfiguration {

        /** The Redis tier behind memory, for {@code dspy4j.cache.type=redis} with dspy4j-cache-redis present. */
        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnProperty(prefix = "dspy4j.cache", name = "type", havingValue = "redis")
        @ConditionalOnClass(name = "dev.dspy4j.cache.redis.RedisCache")
        LmCache dspyRedisCache(DspyProperties properties) {
            return RedisCacheConfiguration.cache(properties.getCache());
        }

        /** The cache for {@code none}, {@code memory} and {@code disk}. */
        @Bean
        @ConditionalOnMissingBean
        LmCache dspyLmCache(DspyProperties properties) {
            DspyProperties.Cache cache = properties.getCache();
            return switch (cache.getType()) {
                case NONE -> NoCache.INSTANCE;
                case MEMORY -> new MemoryCache(cache.getMemorySize());
                case DISK -> TieredCache.of(new MemoryCache(cache.getMemorySize()),
                        cache.getDiskDir() == null ? DiskCache.atDefaultDirectory() : DiskCache.at(cache.getDiskDir()));
                case REDIS -> throw new IllegalStateException("dspy4j.cache.type=redis needs dspy4j-cache-redis "
                        + "on the class path: add the dependency dev.dspy4j:dspy4j-cache-redis");
            };
        }

        @Bean
        @ConditionalOnMissingBean
        Lm dspyLm(DspyProperties properties, LmCache cache) {
            return buildLm(properties.getLm(), cache);
        }

        @Bean
        @ConditionalOnMissingBean
        DspyContext dspyContext(Lm lm, DspyProperties properties, ObjectProvider<DspyListener> listeners) {
            DspyContext context = DspyContext.of(lm).withAdapter(adapter(properties.getAdapter()));
            for (DspyListener listener : listeners.orderedStream().toList()) {
                context = context.withListener(listener);
            }
            return context;
        }
    }

    /** Holds the Redis cache's construction, so RedisCache is touched only when it is on the class path. */
    static final class RedisCacheConfiguration {
        private RedisCacheConfiguration() {
        }

        static LmCache cache(DspyProperties.Cache cache) {
            if (cache.getRedisUrl() == null || cache.getRedisUrl().isBlank()) {
                throw new IllegalStateException("dspy4j.cache.type=redis needs dspy4j.cache.redis-url, "
                        + "e.g. redis://localhost:6379");
            }
            return TieredCache.of(new MemoryCache(cache.getMemorySize()), RedisCache.at(cache.getRedisUrl()));
        }
    }

    static Adapter adapter(DspyProperties.AdapterType type) {
        return switch (type) {
            case CHAT -> ChatAdapter.DEFAULT;
            case JSON -> JsonAdapter.DEFAULT;
            case XML -> XmlAdapter.DEFAULT;
        };
    }

    /** The provider's client from the settings, behind retry, the cache and the concurrency limit. */
    static Lm buildLm(DspyProperties.Lm settings, LmCache cache) {
        String model = settings.getModel().strip();
        LmOptions options = LmOptions.NONE;
        if (settings.getTemperature() != null) {
            options = options.withTemperature(settings.getTemperature());
        }
        if (settings.getMaxTokens() != null) {
            options = options.withMaxTokens(settings.getMaxTokens());
        }
        Lm client;
        if (model.startsWith("anthropic/")) {
            AnthropicLm.Builder builder = AnthropicLm.builder().model(model).options(options).timeout(settings.getTimeout());
            if (settings.getApiKey() != null && !settings.getApiKey().isBlank()) {
                builder.apiKey(settings.getApiKey());
            }
            if (settings.getBaseUrl() != null && !settings.getBaseUrl().isBlank()) {
                builder.baseUrl(settings.getBaseUrl());
            }
            client = builder.build();
        } else {
            OpenAiLm.Builder builder = OpenAiLm.builder().model(model).options(options).timeout(settings.getTimeout());
            if (settings.getApiKey() != null && !settings.getApiKey().isBlank()) {
                builder.apiKey(settings.getApiKey());
            }
            if (settings.getBaseUrl() != null && !settings.getBaseUrl().isBlank()) {
                builder.baseUrl(settings.getBaseUrl());
            }
            client = builder.build();
        }
        List<LmInterceptor> chain = new ArrayList<>(3);
        if (settings.getMaxRetries() > 0) {
            chain.add(Retry.builder().maxRetries(settings.getMaxRetries()).build());
        }
        if (cache != NoCache.INSTANCE) {
            chain.add(new CacheInterceptor(cache));
        }
        if (settings.getConcurrency() != null) {
            chain.add(ConcurrencyLimit.builder().fixedLimit(settings.getConcurrency()).build());
        }
        return chain.isEmpty() ? client : client.withInterceptors(chain.toArray(LmInterceptor[]::new));
    }
}
