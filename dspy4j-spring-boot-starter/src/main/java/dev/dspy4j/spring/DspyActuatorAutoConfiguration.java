package dev.dspy4j.spring;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The optional actuator side: the {@code dspy4j} health indicator (with spring-boot-health and an
 * LM configured) and the Micrometer metrics listener (with micrometer-core).
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
