/**
 * dspy4j's bridge to langchain4j: {@link dev.dspy4j.langchain4j.LangChain4jLm} (a langchain4j
 * {@code ChatModel} as a dspy4j LM) and {@link dev.dspy4j.langchain4j.DspyTool} (a program as a
 * langchain4j tool).
 *
 * <p>langchain4j-core 1.20.0 declares no module name; {@code langchain4j.core} is the automatic
 * name its jar's file name gives it. It is read transitively because the bridge's methods take and
 * return langchain4j types.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.dspy4j.langchain4j {
    requires transitive dev.dspy4j.core;
    requires transitive langchain4j.core;
    requires static org.jspecify;
    requires tools.jackson.databind;

    exports dev.dspy4j.langchain4j;
}
