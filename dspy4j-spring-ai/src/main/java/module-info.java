/**
 * dspy4j's bridge to Spring AI: {@link dev.dspy4j.springai.SpringAiLm} (a Spring AI
 * {@code ChatModel} as a dspy4j LM) and {@link dev.dspy4j.springai.DspyToolCallback} (a program as
 * a Spring AI {@code ToolCallback}).
 *
 * <p>spring-ai-model 2.0.1 declares no module name; {@code spring.ai.model} is the automatic name
 * its jar's file name gives it. It is read transitively because the bridge's methods take and
 * return Spring AI types.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.dspy4j.springai {
    requires transitive dev.dspy4j.core;
    requires transitive spring.ai.model;
    requires spring.ai.commons;
    requires reactor.core;
    requires org.reactivestreams;
    requires spring.core;
    requires static org.jspecify;
    requires tools.jackson.databind;

    exports dev.dspy4j.springai;
}
