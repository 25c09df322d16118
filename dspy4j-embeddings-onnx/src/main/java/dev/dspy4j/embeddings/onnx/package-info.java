/**
 * Embeddings computed in process, offline: {@link dev.dspy4j.embeddings.onnx.OnnxEmbedder} runs
 * all-MiniLM-L6-v2 (quantized) on ONNX Runtime from the model inside its Maven artifact, and
 * {@link dev.dspy4j.embeddings.onnx.Embedders#fromEnvironment()} picks it when no embedding
 * endpoint is configured.
 */
@NullMarked
package dev.dspy4j.embeddings.onnx;

import org.jspecify.annotations.NullMarked;
