package dev.dspy4j.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.dspy4j.adapter.JsonAdapter;
import dev.dspy4j.cache.LmCache;
import dev.dspy4j.cache.MemoryCache;
import dev.dspy4j.cache.TieredCache;
import dev.dspy4j.cache.redis.RedisCache;
import dev.dspy4j.context.DspyContext;
import dev.dspy4j.lm.Lm;
import dev.dspy4j.module.Module;
import dev.dspy4j.module.PredictorState;
import dev.dspy4j.testkit.server.Dialect;
import dev.dspy4j.testkit.server.FakeLmServer;
import dev.dspy4j.testkit.server.Fault;
import dev.dspy4j.testkit.server.Responder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class DspyAutoConfigurationTest {

    private static final String LABEL = "[[ ## label ## ]]\npositive\n\n[[ ## completed ## ]]";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DspyAutoConfiguration.class, DspyActuatorAutoConfiguration.class));

    private FakeLmServer server;

    @BeforeEach
    void startServer() {
        server = FakeLmServer.start(Dialect.OPENAI).respondWith(Responder.fixed(LABEL));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private String[] lm(String... more) {
        return Stream.concat(Stream.of(
                "dspy4j.lm.model=openai/gpt-4o-mini",
                "dspy4j.lm.base-url=" + server.baseUrl(),
                "dspy4j.lm.api-key=sk-test-not-a-secret",
                "dspy4j.lm.max-retries=0"), Stream.of(more)).toArray(String[]::new);
    }

    @Test
    void withNoPropertiesTheContextLoadsWithoutAnLmOrContext() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(Lm.class);
            assertThat(context).doesNotHaveBean(DspyContext.class);
            assertThat(context).doesNotHaveBean(DspyHealthIndicator.class);
            assertThat(context.getBean(DspyPrograms.class).names()).isEmpty();
        });
    }

    @Test
    void aProgramWithoutAnLmLoadsButItsCallNamesThePropertyToSet() {
        runner.withPropertyValues("dspy4j.programs.classify.signature=text -> label",
                        "dspy4j.programs.classify.state=classpath:optimized/classify.json")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasBean("classify");
                    DspyPrograms programs = context.getBean(DspyPrograms.class);
                    assertThatThrownBy(() -> programs.call("classify", Map.of("text", "great")))
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("dspy4j.lm.model");
                });
    }

    @Test
    void withLmPropertiesTheContextHasTheLmAndAProgramBeanThatCallsIt() {
        runner.withPropertyValues(lm("dspy4j.programs.classify.signature=text -> label",
                        "dspy4j.programs.classify.state=classpath:optimized/classify.json"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(Lm.class).hasSingleBean(DspyContext.class);
                    Module classify = context.getBean("classify", Module.class);
                    assertThat(classify).isSameAs(context.getBean(DspyPrograms.class).get("classify"));

                    Object label = classify.call(Map.of("text", "I love it"), context.getBean(DspyContext.class))
                            .get("label");

                    assertThat(label).isEqualTo("positive");
                    assertThat(server.lastRequest().bodyText())
                            .contains("Classify the sentiment of the customer message")
                            .contains("The delivery was late");
                });
    }

    @Test
    void theLoadedStateReplacesTheSignaturesInstructionsAndDemos() {
        runner.withPropertyValues("dspy4j.programs.classify.signature=text -> label",
                        "dspy4j.programs.classify.state=classpath:optimized/classify.json")
                .run(context -> {
                    PredictorState predict = context.getBean(DspyPrograms.class).get("classify")
                            .state().predictors().values().iterator().next();
                    assertThat(predict.demos()).hasSize(2);
                    assertThat(predict.signature().instructions()).startsWith("Classify the sentiment");
                });
    }

    @Test
    void aProgramClassIsInstantiatedAsTheProgramBean() {
        runner.withPropertyValues(lm("dspy4j.programs.triage.program-class=" + TriageProgram.class.getName()))
                .run(context -> {
                    Module triage = context.getBean("triage", Module.class);
                    assertThat(triage).isInstanceOf(TriageProgram.class);
                    assertThat(triage.namedPredictors()).containsOnlyKeys("classify.predict");
                });
    }

    @Test
    void aProgramClassThatIsNoModuleFailsStartUpNamingIt() {
        runner.withPropertyValues("dspy4j.programs.bad.program-class=java.lang.String")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("dspy4j.programs.bad.program-class java.lang.String is not a"));
    }

    @Test
    void theAdapterPropertyChoosesTheContextsAdapter() {
        runner.withPropertyValues(lm("dspy4j.adapter=json"))
                .run(context -> assertThat(context.getBean(DspyContext.class).adapter()).isSameAs(JsonAdapter.DEFAULT));
    }

    @Test
    void theMemoryCacheAnswersARepeatedCallWithoutTheProvider() {
        runner.withPropertyValues(lm("dspy4j.cache.type=memory", "dspy4j.cache.memory-size=10",
                        "dspy4j.programs.classify.signature=text -> label"))
                .run(context -> {
                    assertThat(context.getBean(LmCache.class)).isInstanceOf(MemoryCache.class);
                    DspyPrograms programs = context.getBean(DspyPrograms.class);

                    programs.call("classify", Map.of("text", "same"));
                    programs.call("classify", Map.of("text", "same"));

                    assertThat(server.requestCount()).isEqualTo(1);
                });
    }

    @Test
    void withNoCacheEveryCallGoesToTheProvider() {
        runner.withPropertyValues(lm("dspy4j.cache.type=none", "dspy4j.programs.classify.signature=text -> label"))
                .run(context -> {
                    DspyPrograms programs = context.getBean(DspyPrograms.class);

                    programs.call("classify", Map.of("text", "same"));
                    programs.call("classify", Map.of("text", "same"));

                    assertThat(server.requestCount()).isEqualTo(2);
                });
    }

    @Test
    void theDiskCacheWritesEntriesToTheConfiguredDirectory(@TempDir Path dir) {
        runner.withPropertyValues(lm("dspy4j.cache.type=disk", "dspy4j.cache.disk-dir=" + dir,
                        "dspy4j.programs.classify.signature=text -> label"))
                .run(context -> {
                    assertThat(context.getBean(LmCache.class)).isInstanceOf(TieredCache.class);

                    context.getBean(DspyPrograms.class).call("classify", Map.of("text", "to disk"));

                    try (Stream<Path> files = Files.walk(dir)) {
                        assertThat(files.filter(Files::isRegularFile)).isNotEmpty();
                    }
                });
    }

    @Test
    void theRedisCacheIsUsedWhenAServerIsGiven() {
        String url = System.getenv("DSPY4J_REDIS_URL");
        assumeThat(url).as("DSPY4J_REDIS_URL names a running Redis").isNotBlank();
        runner.withPropertyValues(lm("dspy4j.cache.type=redis", "dspy4j.cache.redis-url=" + url))
                .run(context -> assertThat(((TieredCache) context.getBean(LmCache.class)).tiers())
                        .last().isInstanceOf(RedisCache.class));
    }

    @Test
    void redisWithoutAUrlFailsStartUpNamingTheProperty() {
        runner.withPropertyValues(lm("dspy4j.cache.type=redis"))
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("dspy4j.cache.redis-url"));
    }

    @Test
    void aBrokenStateFileFailsStartUpWithTheLoadersMessage() {
        runner.withPropertyValues("dspy4j.programs.bad.signature=text -> label",
                        "dspy4j.programs.bad.state=classpath:optimized/broken.json")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("classpath:optimized/broken.json"));
    }

    @Test
    void aMissingStateFileFailsStartUpNamingTheProgramAndProperty() {
        runner.withPropertyValues("dspy4j.programs.gone.signature=text -> label",
                        "dspy4j.programs.gone.state=classpath:optimized/nowhere.json")
                .run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("dspy4j.programs.gone.state")
                        .hasStackTraceContaining("does not exist"));
    }

    @Test
    void aProgramWithNeitherSignatureNorClassFailsStartUpSayingWhatToSet() {
        runner.withPropertyValues("dspy4j.programs.empty.module=cot")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("dspy4j.programs.empty needs a signature"));
    }

    @Test
    void metricsCountCallsTokensAndErrorsByModel() {
        runner.withPropertyValues(lm("dspy4j.cache.type=none", "dspy4j.programs.classify.signature=text -> label"))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    DspyPrograms programs = context.getBean(DspyPrograms.class);
                    MeterRegistry meters = context.getBean(MeterRegistry.class);

                    programs.call("classify", Map.of("text", "fine"));
                    server.faults().next(Fault.serverError());
                    assertThatThrownBy(() -> programs.call("classify", Map.of("text", "broken")));

                    assertThat(meters.get("dspy4j.lm.calls").tags("model", "openai/gpt-4o-mini", "outcome", "success")
                            .timer().count()).isEqualTo(1);
                    assertThat(meters.get("dspy4j.lm.calls").tags("outcome", "error").timer().count()).isEqualTo(1);
                    assertThat(meters.get("dspy4j.lm.errors").counter().count()).isEqualTo(1);
                    assertThat(meters.get("dspy4j.lm.tokens").tags("type", "output").counter().count()).isPositive();
                });
    }

    @Test
    void thePropertiesNeverPrintTheApiKey() {
        runner.withPropertyValues(lm()).run(context ->
                assertThat(context.getBean(DspyProperties.class).toString())
                        .doesNotContain("sk-test-not-a-secret").contains("******"));
    }
}
