/**
 * dspy4j's core: signatures, examples and predictions, modules, adapters, the LM interface and its
 * OpenAI-compatible and Anthropic clients, the LM response cache, the program context, runs and
 * tracing.
 *
 * <p>Exports the API packages only. Not exported, and free to change in any release:
 * {@code dev.dspy4j.internal} and its subpackages (Python emulation, record reflection) and
 * {@code dev.dspy4j.provider.http} (the HTTP wire code behind the clients of
 * {@code dev.dspy4j.provider}).
 *
 * <p>dspy4j reads the fields of {@link dev.dspy4j.module.Module} subclasses to find their
 * predictors, and the components of the records that signatures and typed modules use: in a named
 * module, open the packages that hold them to {@code dev.dspy4j.core} (or make the records public
 * in an exported package).
 */
module dev.dspy4j.core {
    requires java.net.http;
    requires static org.jspecify;
    requires org.slf4j;
    requires tools.jackson.core;
    requires tools.jackson.databind;

    exports dev.dspy4j;
    exports dev.dspy4j.adapter;
    exports dev.dspy4j.cache;
    exports dev.dspy4j.context;
    exports dev.dspy4j.data;
    exports dev.dspy4j.export;
    exports dev.dspy4j.lm;
    exports dev.dspy4j.media;
    exports dev.dspy4j.module;
    exports dev.dspy4j.provider;
    exports dev.dspy4j.retrieve;
    exports dev.dspy4j.run;
    exports dev.dspy4j.signature;
    exports dev.dspy4j.streaming;
    exports dev.dspy4j.tool;
    exports dev.dspy4j.trace;
    exports dev.dspy4j.usage;

    // DSPy's inspect_modules and orjson texts, for SIMBA's feedback prompt; not API
    exports dev.dspy4j.internal.python to dev.dspy4j.optimize;
}
