/**
 * Spring Boot 4 auto-configuration for dspy4j: the LM, adapter and cache from {@code dspy4j.*}
 * properties, optimized programs as {@code Module} beans, an actuator health indicator for the
 * provider and Micrometer metrics of LM calls. See {@code docs/spring.md}.
 */
package dev.dspy4j.spring;
