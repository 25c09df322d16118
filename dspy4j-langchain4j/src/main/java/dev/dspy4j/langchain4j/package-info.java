/**
 * Bridges between dspy4j and langchain4j, both ways: {@link dev.dspy4j.langchain4j.LangChain4jLm}
 * runs dspy4j programs on a langchain4j {@code ChatModel} (and streams through a
 * {@code StreamingChatModel}), {@link dev.dspy4j.langchain4j.DspyTool} offers a dspy4j program to
 * langchain4j as a tool, and {@link dev.dspy4j.langchain4j.DspyStreamingChatModel} offers a dspy4j
 * LM to langchain4j as a streaming chat model.
 */
@NullMarked
package dev.dspy4j.langchain4j;

import org.jspecify.annotations.NullMarked;
