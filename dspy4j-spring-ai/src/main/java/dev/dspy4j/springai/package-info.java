/**
 * Bridges between dspy4j and Spring AI, both ways: {@link dev.dspy4j.springai.SpringAiLm} runs
 * dspy4j programs on a Spring AI {@code ChatModel} (calls and streams),
 * {@link dev.dspy4j.springai.DspyToolCallback} offers a dspy4j program to Spring AI as a
 * {@code ToolCallback}, and {@link dev.dspy4j.springai.DspyChatModel} offers a dspy4j LM to Spring
 * AI as a {@code ChatModel}.
 */
@NullMarked
package dev.dspy4j.springai;

import org.jspecify.annotations.NullMarked;
