package dev.dspy4j.spring;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The optional actuator side: the {@code dspy4j} health indicator (with spring-boot-health and an
 * LM configured), the Micrometer metrics listener (with micrometer-core) and the masking of API
 * keys in the env and configprops endpoints (with spring-boot-actuator).
 */
@AutoConfiguration(before = DspyAutoConfiguration.class)
public class DspyActuatorAutoConfiguration {

    /** Creates the configuration; Spring calls this. */
    public DspyActuatorAutoConfiguration() {
    }

    /** The health indicator, bean {@code dspy4jHealthIndicator}, shown as {@code dspy4j}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnProperty(prefix = "dspy4j.lm", name = "model")
    static class HealthConfiguration {

        @Bean("dspy4jHealthIndicator")
        @ConditionalOnMissingBean(name = "dspy4jHealthIndicator")
        @ConditionalOnProperty(prefix = "dspy4j.health", name = "enabled", matchIfMissing = true)
        DspyHealthIndicator dspy4jHealthIndicator(DspyProperties properties) {
            return new DspyHealthIndicator(properties.getLm(), properties.getHealth());
        }
    }

    /**
     * Masks API keys in {@code /actuator/env} and {@code /actuator/configprops} even where
     * {@code show-values} is {@code always}: any key whose name ends in {@code api-key},
     * {@code apikey} or {@code api_key} ({@code dspy4j.lm.api-key}, {@code OPENAI_API_KEY}).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(SanitizingFunction.class)
    static class SanitizingConfiguration {

        @Bean
        SanitizingFunction dspy4jApiKeySanitizer() {
            return data -> {
                String key = data.getLowerCaseKey();
                return key.endsWith("api-key") || key.endsWith("apikey") || key.endsWith("api_key")
                        ? data.withSanitizedValue() : data;
            };
        }
    }

    /** The metrics listener, added to the context's listeners. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class MetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        DspyMetricsListener dspyMetricsListener(ObjectProvider<MeterRegistry> registry) {
            return new DspyMetricsListener(registry);
        }
    }

}
